import type { MlflowClient } from '../../adapters/mlflow/client';
import type { Reading } from '../../core/air-quality/reading';
import { inActivityOf } from '../../test/support/activity-context';
import { fakePromotions, fakeTrainingSet } from '../../test/support/repository-fakes';

import { loadDataset } from './dataset';

import { createTrainingActivities } from '.';

/** The MLflow calls these steps make, over memory: artifacts by run and path, version tags by model/version. */
function fakeMlflow() {
  const artifacts = new Map<string, Buffer>();
  const versionTags = new Map<string, Record<string, string>>();
  const mlflow = {
    async uploadArtifact(run: { runId: string }, path: string, body: string) {
      artifacts.set(`${run.runId}/${path}`, Buffer.from(body));
    },
    async downloadArtifact(run: { runId: string }, path: string) {
      const body = artifacts.get(`${run.runId}/${path}`);
      if (!body) throw new Error(`no artifact ${path}`);
      return body;
    },
    async setModelVersionTag(name: string, version: string, key: string, value: string) {
      versionTags.set(`${name}/${version}`, { ...versionTags.get(`${name}/${version}`), [key]: value });
    },
  } as unknown as MlflowClient;
  return { mlflow, artifacts, versionTags };
}

const run = { runId: 'run-7', experimentId: '1', artifactUri: 'mlflow-artifacts:/1/run-7/artifacts' };
const inActivity = inActivityOf('train-aqi-eaqi-instant');
const reading = (observedAt: string, pm10: number): Reading => ({
  latitude: 45.7,
  longitude: 4.8,
  observedAt,
  values: { pm10 },
  reported: { european_aqi: pm10 },
});

function setUp(series: { locationId: string; readings: Reading[] }[] = []) {
  const registry = fakeMlflow();
  const promotions = fakePromotions();
  const activities = createTrainingActivities({
    trainingSet: fakeTrainingSet(series),
    promotions: promotions.repository,
    mlflow: registry.mlflow,
    training: { experiment: 'aqi', apiUrl: 'http://127.0.0.1:1' },
  });
  return { activities, registry, promotions };
}

describe('extractDataset', () => {
  it('snapshots the window as a run artifact whose sha256 the training step checks', async () => {
    const { activities, registry } = setUp([
      { locationId: 'lyon', readings: [reading('2024-01-01T00:00:00Z', 10), reading('2024-01-01T01:00:00Z', 12)] },
    ]);

    const ref = await inActivity(activities.extractDataset, {
      run,
      locationIds: ['lyon'],
      from: '2024-01-01T00:00:00Z',
      to: '2024-01-01T01:00:00Z',
    });

    expect(ref).toMatchObject({ rows: 1, locationIds: ['lyon'], artifactPath: 'dataset/snapshot.json' });
    const [series] = await loadDataset(registry.mlflow, run, ref);
    expect(series?.readings.map((r) => r.observedAt)).toEqual(['2024-01-01T00:00:00Z']);
    registry.artifacts.set(`${run.runId}/${ref.artifactPath}`, Buffer.from('{"tampered":true}'));
    await expect(loadDataset(registry.mlflow, run, ref)).rejects.toMatchObject({ code: 'DATASET_MISMATCH' });
  });

  it('when the window holds no reading, then it fails for good, saying to backfill first', async () => {
    const { activities, registry } = setUp();

    const extract = inActivity(activities.extractDataset, {
      run,
      locationIds: ['lyon'],
      from: '2024-01-01T00:00:00Z',
      to: '2024-02-01T00:00:00Z',
    });

    await expect(extract).rejects.toMatchObject({ code: 'EMPTY_TRAINING_SET' });
    await expect(extract).rejects.toThrow(/backfill the range first/);
    expect(registry.artifacts.size).toBe(0);
  });
});

describe('recordDecision', () => {
  const decision = {
    modelName: 'aqi-eaqi-instant',
    modelVersion: '3',
    decision: 'approved' as const,
    approver: 'ops@city',
    comment: 'holdout MAE better',
    decidedAt: '2024-05-01T10:00:00Z',
  };

  it('records the decision once under the workflow id and tags the model version with it', async () => {
    const { activities, registry, promotions } = setUp();

    const id = await inActivity(activities.recordDecision, decision);
    const retried = await inActivity(activities.recordDecision, decision);

    expect(retried).toBe(id);
    expect(promotions.records).toEqual([
      expect.objectContaining({ ...decision, workflowId: 'train-aqi-eaqi-instant' }),
    ]);
    expect(registry.versionTags.get('aqi-eaqi-instant/3')).toEqual({
      'aqi.decision': 'approved',
      'aqi.decided_at': '2024-05-01T10:00:00Z',
      'aqi.decided_by': 'ops@city',
      'aqi.decision_comment': 'holdout MAE better',
    });
  });

  it('when evaluation rejected the candidate (no version), then only the audit row is written', async () => {
    const { activities, registry, promotions } = setUp();
    const { modelVersion: _none, ...rejected } = { ...decision, decision: 'rejected' as const };

    await inActivity(activities.recordDecision, rejected);

    expect(promotions.records.map((r) => [r.decision, r.modelVersion])).toEqual([['rejected', undefined]]);
    expect(registry.versionTags.size).toBe(0);
  });
});

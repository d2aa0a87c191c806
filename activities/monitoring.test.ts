import { createHash } from 'node:crypto';

import type { MlflowRun } from '../adapters/mlflow/client';
import { buildExamples, featureSpecFor } from '../core/ml/features';
import { trainingParams, trainModel } from '../core/ml/models';
import { syntheticSeries } from '../core/ml/synthetic-series';
import { inActivityOf } from '../test/support/activity-context';
import { fakeMlflow } from '../test/support/mlflow-fake';
import { fakeMonitoring, fakePredictionLog, fakeTrainingSet } from '../test/support/repository-fakes';

import { createMonitoringActivities, reportArtifacts, type ChampionRef, type MonitoringRunRef } from './monitoring';

/** The champion monitor's activities over small fakes of MLflow and the repositories. */
const inActivity = inActivityOf('monitor-aqi-eaqi-instant-2025-01-01');
const series = syntheticSeries('lyon', 24 * 40, { start: '2024-11-01T00:00:00Z', seed: 7 });
const snapshotBody = JSON.stringify({
  version: 1,
  from: '2024-11-01T00:00:00Z',
  to: '2024-12-01T00:00:00Z',
  locations: [{ locationId: 'lyon', readings: series.readings.filter((r) => r.observedAt < '2024-12-01') }],
});
const sha256 = createHash('sha256').update(snapshotBody).digest('hex');
const model = trainModel('linear', buildExamples([series], featureSpecFor('instant', 0)), trainingParams.parse({}));
const trainingRun: MlflowRun = {
  runId: 'train-3',
  experimentId: '1',
  status: 'FINISHED',
  artifactUri: 'mlflow-artifacts:/1/train-3/artifacts',
  params: {},
  metrics: { test_mae: 2, test_rows: 720 },
  tags: {},
};
const champion: ChampionRef = {
  modelName: 'aqi-eaqi-instant',
  version: '3',
  runId: 'train-3',
  tags: {
    'aqi.dataset_sha256': sha256,
    'aqi.dataset_rows': '720',
    'aqi.dataset_range': '2024-11-01T00:00:00Z/2024-12-01T00:00:00Z',
    'aqi.holdout_mae': '2.5000',
  },
};
const monitoringRun: MonitoringRunRef = {
  runId: 'mon-9',
  experimentId: '9',
  artifactUri: 'mlflow-artifacts:/9/mon-9/artifacts',
  url: 'http://mlflow/#/experiments/9/runs/mon-9',
};

function setUp(options: { latest?: string; snapshot?: string } = {}) {
  const registry = fakeMlflow({
    champions: {
      'aqi-eaqi-instant': { version: '3', runId: 'train-3', tags: champion.tags },
      'aqi-eaqi-forecast-24h': { version: '1', tags: {} },
      'aqi-eaqi-forecast-6h': undefined,
      'someone-elses-model': { version: '8', tags: {} },
    },
    runs: [trainingRun],
  });
  registry.artifacts.set('train-3/dataset/snapshot.json', Buffer.from(options.snapshot ?? snapshotBody));
  registry.artifacts.set('train-3/model/model.json', Buffer.from(JSON.stringify(model.toJSON())));
  const monitoring = fakeMonitoring(options.latest);
  const predictionLog = fakePredictionLog();
  const activities = createMonitoringActivities({
    mlflow: registry.mlflow,
    trainingSet: fakeTrainingSet([series]),
    monitoring: monitoring.repository,
    predictionLog: predictionLog.repository,
    monitoringRuns: { experiment: 'aqi-monitoring', mlflowUrl: 'http://mlflow' },
  });
  return { activities, registry, monitoring, predictionLog };
}

describe('listChampions and findChampion', () => {
  it("when the registry holds platform models with and without a champion and someone else's, then only the platform's champions are listed, by name", async () => {
    const { activities } = setUp();

    expect(await inActivity(activities.listChampions)).toEqual(['aqi-eaqi-forecast-24h', 'aqi-eaqi-instant']);
  });

  it('when a model has a champion, then its version, run and lineage tags come back; an unknown model has none', async () => {
    const { activities } = setUp();

    expect(await inActivity(activities.findChampion, { modelName: 'aqi-eaqi-instant' })).toEqual(champion);
    expect(await inActivity(activities.findChampion, { modelName: 'aqi-eaqi-forecast-6h' })).toBeNull();
    expect(await inActivity(activities.findChampion, { modelName: 'never-registered' })).toBeNull();
  });
});

describe('openMonitoringRun and closeMonitoringRun', () => {
  it('when the activity runs again for the same workflow, then it finds the run it opened instead of a second one', async () => {
    const { activities, registry } = setUp();

    const first = await inActivity(activities.openMonitoringRun, { modelName: 'aqi-eaqi-instant', version: '3' });
    const again = await inActivity(activities.openMonitoringRun, { modelName: 'aqi-eaqi-instant', version: '3' });
    await inActivity(activities.closeMonitoringRun, { runId: first.runId, status: 'FINISHED' });

    expect(again).toEqual(first);
    expect(registry.created).toBe(1);
    expect(registry.runs.get(first.runId)?.tags).toMatchObject({
      'aqi.workflow_id': 'monitor-aqi-eaqi-instant-2025-01-01',
      'aqi.model_name': 'aqi-eaqi-instant',
      'aqi.model_version': '3',
    });
    expect(first.url).toBe(`http://mlflow/#/experiments/9/runs/${first.runId}`);
    expect(registry.finished).toEqual([{ runId: first.runId, status: 'FINISHED' }]);
  });
});

describe('reportChampionDrift', () => {
  it('when the snapshot is readable, then the report, its artifacts, its row and the live accuracy of the window agree', async () => {
    const { activities, registry, monitoring, predictionLog } = setUp({ latest: '2024-12-09T23:00:00Z' });
    // Two predictions of the version for hours of the window, their actuals stored: errors 1 and 3.
    await predictionLog.repository.log(
      [
        { hour: '2024-12-05T10:00:00Z', predicted: 11 },
        { hour: '2024-12-06T10:00:00Z', predicted: 17 },
      ].map(({ hour, predicted }) => ({
        modelName: 'aqi-eaqi-instant',
        modelVersion: '3',
        horizonHours: 0,
        locationId: 'lyon',
        originHour: hour,
        targetHour: hour,
        predicted,
      })),
      'scoring',
    );
    predictionLog.actuals.set('lyon|2024-12-05T10:00:00Z', 10);
    predictionLog.actuals.set('lyon|2024-12-06T10:00:00Z', 20);

    const outcome = await inActivity(activities.reportChampionDrift, { champion, run: monitoringRun });

    expect(outcome).toMatchObject({ status: 'reported', from: '2024-12-03T00:00:00Z', to: '2024-12-10T00:00:00Z' });
    expect(outcome.accuracy).toEqual([
      expect.objectContaining({ horizonHours: 0, resolved: 2, hours: 2, pending: 0, mae: 2, holdoutMae: 2, ratio: 1 }),
    ]);
    const row = [...monitoring.reports.values()][0];
    expect(row).toMatchObject({
      id: outcome.reportId,
      status: 'reported',
      referenceSha256: sha256,
      currentRows: 168,
      datasetDrift: outcome.datasetDrift,
      accuracy: outcome.accuracy,
    });
    const html = registry.artifacts.get(`mon-9/${reportArtifacts.html}`)?.toString('utf8') ?? '';
    expect(html).toContain('Live accuracy');
    expect(html).toContain('<td class="num">2.00</td>');
    const json = JSON.parse(registry.artifacts.get(`mon-9/${reportArtifacts.json}`)?.toString('utf8') ?? '{}');
    expect(json.accuracy).toEqual(outcome.accuracy);
    expect(outcome.links.html).toBe(
      `http://mlflow/api/2.0/mlflow-artifacts/artifacts/9/mon-9/artifacts/${reportArtifacts.html}`,
    );
    expect(predictionLog.holdouts.get('aqi-eaqi-instant@3')).toMatchObject({ holdoutMae: 2, runId: 'train-3' });
  });

  it('when the snapshot does not match its lineage tag, then a no_reference row says why and still shows live accuracy', async () => {
    const { activities, monitoring, registry } = setUp({ latest: '2024-12-09T23:00:00Z', snapshot: '{"version":1}' });

    const outcome = await inActivity(activities.reportChampionDrift, { champion, run: monitoringRun });

    expect(outcome).toMatchObject({ status: 'no_reference', to: '2024-12-10T00:00:00Z', accuracy: [] });
    expect(outcome.reason).toMatch(/sha256/);
    expect([...monitoring.reports.values()][0]).toMatchObject({ status: 'no_reference', reason: outcome.reason });
    expect(registry.logged).toEqual([
      { runId: 'mon-9', input: { tags: { 'aqi.outcome': 'no_reference', 'aqi.reason': outcome.reason } } },
    ]);
  });

  it('when the version was registered without a training run, then the row names that and nothing is downloaded', async () => {
    const { activities, monitoring } = setUp({ latest: '2024-12-09T23:00:00Z' });
    const { runId: _run, ...untracked } = champion;

    const outcome = await inActivity(activities.reportChampionDrift, { champion: untracked, run: monitoringRun });

    expect(outcome.status).toBe('no_reference');
    expect(outcome.reason).toBe('version 3 was registered without a training run');
    expect(monitoring.reports.size).toBe(1);
  });
});

import type { MlflowRun } from '../adapters/mlflow/client';
import type { LiveAccuracy } from '../core/monitoring/accuracy/live-accuracy';
import { inActivityOf } from '../test/support/activity-context';
import { fakeMlflow } from '../test/support/mlflow-fake';
import { fakeMonitoring, fakeRetraining } from '../test/support/repository-fakes';

import { createRetrainingActivities } from './retraining';

/** planRetraining over fakes: the evidence rule, the recipe, and the ledger's one run per cooldown. */
const trainingRun: MlflowRun = {
  runId: 'train-3',
  experimentId: '1',
  status: 'FINISHED',
  artifactUri: 'mlflow-artifacts:/1/train-3/artifacts',
  params: { locations: 'lyon,paris', 'param.seed': '5', 'param.randomForest.nEstimators': '10' },
  metrics: {},
  tags: {},
};
const champion = {
  modelName: 'aqi-eaqi-forecast-24h',
  version: '3',
  runId: 'train-3',
  tags: { 'aqi.kind': 'forecast', 'aqi.horizon_hours': '24', 'aqi.algorithm': 'random-forest' },
};
const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function setUp() {
  const monitoring = fakeMonitoring();
  const ledger = fakeRetraining();
  const activities = createRetrainingActivities({
    mlflow: fakeMlflow({ runs: [trainingRun] }).mlflow,
    monitoring: monitoring.repository,
    retraining: ledger.repository,
    retrainingPolicy: { maeMargin: 0.25, minHours: 72, driftWindows: 3, cooldownMs: 7 * day },
    promotion: { approvalTimeout: '72h', tolerance: 0.05, trainingTaskQueue: 'aqi-training-test' },
  });
  /** A stored weekly report of the champion ending at `to`. */
  const report = async (workflowId: string, to: string, datasetDrift: boolean) => {
    const id = await monitoring.repository.saveReport({
      workflowId,
      modelName: champion.modelName,
      modelVersion: champion.version,
      status: 'reported',
      currentFrom: iso(Date.parse(to) - 7 * day),
      currentTo: to,
      datasetDrift,
      summary: datasetDrift ? 'dataset drift: 28 of 30 features' : 'no drift',
      htmlUrl: `http://mlflow/report-${workflowId}.html`,
    });
    return { id, to };
  };
  return { activities, ledger, report };
}

describe('planRetraining', () => {
  it('when one weekly report drifts, then nothing starts and the answer says how much evidence is missing', async () => {
    const { activities, ledger, report } = setUp();
    const newest = await report('monitor-1', '2024-12-25T00:00:00Z', true);

    const plan = await inActivityOf('monitor-1')(activities.planRetraining, { champion, report: newest });

    expect(plan).toEqual({
      action: 'none',
      why: expect.stringContaining('dataset drift in 1 of the last 1 disjoint windows; 3 of 3 needed'),
    });
    expect(ledger.claims).toEqual([]);
  });

  it('when overlapping daily reports drift, then they count as one window, not three', async () => {
    const { activities, report } = setUp();
    await report('monitor-1', '2024-12-23T00:00:00Z', true);
    await report('monitor-2', '2024-12-24T00:00:00Z', true);
    const newest = await report('monitor-3', '2024-12-25T00:00:00Z', true);

    const plan = await inActivityOf('monitor-3')(activities.planRetraining, { champion, report: newest });

    expect(plan.action).toBe('none');
  });

  it('when three disjoint weeks drift, then a retrain of the same recipe on the latest windows is claimed, naming the report', async () => {
    const { activities, ledger, report } = setUp();
    await report('monitor-1', '2024-12-11T00:00:00Z', true);
    await report('monitor-2', '2024-12-18T00:00:00Z', true);
    const newest = await report('monitor-3', '2024-12-25T00:00:00Z', true);

    const plan = await inActivityOf('monitor-3')(activities.planRetraining, { champion, report: newest });

    expect(plan).toMatchObject({
      action: 'start',
      workflowId: 'retrain-aqi-eaqi-forecast-24h-v3-dataset-drift-20241225T00Z',
      request: {
        kind: 'forecast',
        horizonHours: 24,
        algorithm: 'random-forest',
        params: { seed: 5, randomForest: { nEstimators: 10 } },
        locationIds: ['lyon', 'paris'],
        trainFrom: '2023-12-25T00:00:00Z',
        validationFrom: '2024-10-25T00:00:00Z',
        testFrom: '2024-11-25T00:00:00Z',
        testTo: '2024-12-25T00:00:00Z',
        modelName: champion.modelName,
        approvalTimeout: '72h',
        tolerance: 0.05,
        trainingTaskQueue: 'aqi-training-test',
      },
      trigger: {
        reason: 'dataset_drift',
        fromVersion: '3',
        monitorWorkflowId: 'monitor-3',
        reportId: newest.id,
        reportUrl: 'http://mlflow/report-monitor-3.html',
      },
    });
    expect(plan.action !== 'none' && plan.trigger.evidence.driftWindows?.map((w) => w.to)).toEqual([
      '2024-12-25T00:00:00Z',
      '2024-12-18T00:00:00Z',
      '2024-12-11T00:00:00Z',
    ]);
    expect(ledger.claims).toHaveLength(1);
  });

  it('when a second trigger comes within the cooldown, then it joins the claimed run; a retried trigger gets its own claim back', async () => {
    const { activities, ledger, report } = setUp();
    await report('monitor-1', '2024-12-04T00:00:00Z', true);
    await report('monitor-2', '2024-12-11T00:00:00Z', true);
    const third = await report('monitor-3', '2024-12-18T00:00:00Z', true);
    const fourth = await report('monitor-4', '2024-12-25T00:00:00Z', true);

    const first = await inActivityOf('monitor-3')(activities.planRetraining, { champion, report: third });
    const second = await inActivityOf('monitor-4')(activities.planRetraining, { champion, report: fourth });
    const retried = await inActivityOf('monitor-3')(activities.planRetraining, { champion, report: third });

    expect(first.action).toBe('start');
    expect(second).toMatchObject({ action: 'join', workflowId: first.action === 'none' ? '' : first.workflowId });
    expect(retried).toMatchObject({ action: 'start', workflowId: first.action === 'none' ? '' : first.workflowId });
    expect(ledger.claims.map((c) => [c.triggerWorkflowId, c.outcome])).toEqual([
      ['monitor-3', 'started'],
      ['monitor-4', 'joined'],
    ]);
  });

  it('when live MAE is a third worse than the holdout over enough hours, then accuracy is the reason, even without drift', async () => {
    const { activities, report } = setUp();
    const newest = await report('monitor-1', '2024-12-25T00:00:00Z', false);
    const accuracy = (hours: number): LiveAccuracy[] => [
      {
        modelName: champion.modelName,
        modelVersion: '3',
        horizonHours: 24,
        from: '2024-12-18T00:00:00Z',
        to: '2024-12-25T00:00:00Z',
        resolved: hours,
        hours,
        pending: 0,
        mae: 8,
        holdoutMae: 6,
        ratio: 8 / 6,
      },
    ];

    const few = await inActivityOf('monitor-1')(activities.planRetraining, {
      champion,
      report: newest,
      accuracy: accuracy(71),
    });
    const enough = await inActivityOf('monitor-1')(activities.planRetraining, {
      champion,
      report: newest,
      accuracy: accuracy(72),
    });
    const lenient = await inActivityOf('monitor-2')(activities.planRetraining, {
      champion,
      report: newest,
      accuracy: accuracy(72),
      overrides: { maeMargin: 0.5 },
    });

    expect(few.action).toBe('none');
    expect(few.degraded).toBeUndefined();
    expect(enough.degraded).toMatchObject({ maeMargin: 0.25, accuracy: { horizonHours: 24, mae: 8 } });
    expect(lenient.degraded).toBeUndefined();
    expect(enough).toMatchObject({
      action: 'start',
      workflowId: 'retrain-aqi-eaqi-forecast-24h-v3-live-accuracy-20241225T00Z',
      trigger: { reason: 'live_accuracy', reportId: newest.id, evidence: { accuracy: { mae: 8, hours: 72 } } },
    });
    expect(lenient.action).toBe('none');
  });

  it('when the champion was not registered by trainingPipeline, then there is no recipe to retrain and nothing starts', async () => {
    const { activities, report } = setUp();
    const newest = await report('monitor-1', '2024-12-25T00:00:00Z', true);

    const plan = await inActivityOf('monitor-1')(activities.planRetraining, {
      champion: { ...champion, tags: {} },
      report: newest,
      overrides: { driftWindows: 1 },
    });

    expect(plan).toEqual({ action: 'none', why: expect.stringContaining('no recipe tags') });
  });

  it('when live MAE is degraded but there is no recipe to retrain, then nothing starts and the degradation is still told', async () => {
    const { activities, report } = setUp();
    const newest = await report('monitor-1', '2024-12-25T00:00:00Z', false);

    const plan = await inActivityOf('monitor-1')(activities.planRetraining, {
      champion: { ...champion, tags: {} },
      report: newest,
      accuracy: [
        {
          modelName: champion.modelName,
          modelVersion: '3',
          horizonHours: 0,
          from: '2024-12-18T00:00:00Z',
          to: '2024-12-25T00:00:00Z',
          resolved: 100,
          hours: 100,
          pending: 0,
          mae: 9,
          holdoutMae: 6,
          ratio: 1.5,
        },
      ],
    });

    expect(plan.action).toBe('none');
    expect(plan.degraded?.summary).toContain('worse than the holdout by more than 25 %');
  });
});

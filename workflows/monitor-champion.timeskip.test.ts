import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

import type { AlertActivities } from '../activities/alerts';
import type { ChampionRef, DriftReportOutcome, MonitoringActivities } from '../activities/monitoring';
import type { RetrainingActivities, RetrainPlan } from '../activities/retraining';
import { lifecycleDefaults, namesOf, recording } from '../test/workflows/activity-fakes';
import { eventually, timeSkippingForFile, withWorkers, workflowIdFor } from '../test/workflows/time-skipping';

import { monitorChampion } from './monitor-champion';
import { monitorChampions } from './monitor-champions';
import { promotionStatusQuery } from './promotion-approval';
import { type trainingPipeline } from './training-pipeline';

/** monitorChampion and monitorChampions on the time-skipping test server with fake registry and report activities. */
jest.setTimeout(60_000);
const ts = timeSkippingForFile();

const run = {
  runId: 'mon-1',
  experimentId: '9',
  artifactUri: 'mlflow-artifacts:/9/mon-1/artifacts',
  url: 'http://mlflow/#/experiments/9/runs/mon-1',
};
const champion = (modelName: string): ChampionRef => ({
  modelName,
  version: '4',
  runId: 'train-4',
  tags: { 'aqi.dataset_sha256': 'c'.repeat(64) },
});
const reported: DriftReportOutcome = {
  reportId: 12,
  status: 'reported',
  from: '2024-12-25T00:00:00Z',
  to: '2025-01-01T00:00:00Z',
  datasetDrift: true,
  predictionDrift: true,
  targetDrift: false,
  summary: 'dataset drift: 3 of 5 features drifted',
  links: { run: run.url, html: 'http://mlflow/report.html', json: 'http://mlflow/report.json' },
};

const noRetrain: RetrainPlan = {
  action: 'none',
  why: 'dataset drift in 1 of the last 1 disjoint windows; 3 of 3 needed',
};

function fakes(
  overrides: Partial<MonitoringActivities & AlertActivities & RetrainingActivities> = {},
): MonitoringActivities & AlertActivities & RetrainingActivities {
  return {
    planRetraining: async () => noRetrain,
    notify: async () => ({ channels: ['log'], delivered: [], alreadyDelivered: [], gaveUp: [] }),
    listChampions: async () => ['aqi-eaqi-forecast-24h', 'aqi-eaqi-instant'],
    findChampion: async ({ modelName }) => champion(modelName),
    openMonitoringRun: async () => run,
    reportChampionDrift: async () => reported,
    closeMonitoringRun: async () => undefined,
    ...overrides,
  };
}

describe('monitorChampion on the time-skipping test server', () => {
  it('when the model has a champion, then it reports in a run of its own, closes it and links the report in the memo', async () => {
    const { activities, calls } = recording(fakes());
    const workflowId = workflowIdFor('monitor-instant');

    const result = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const handle = await ts.env.client.workflow.start(monitorChampion, {
        taskQueue,
        workflowId,
        args: [{ modelName: 'aqi-eaqi-instant', windowDays: 7 }],
      });
      const outcome = await handle.result();
      const memo = (await handle.describe()).memo;
      return { outcome, memo };
    });

    expect(namesOf(calls)).toEqual([
      'findChampion',
      'openMonitoringRun',
      'reportChampionDrift',
      'closeMonitoringRun',
      'notify',
      'planRetraining',
    ]);
    expect(calls[5]?.input).toEqual({
      champion: champion('aqi-eaqi-instant'),
      report: { id: 12, to: reported.to },
    });
    expect(calls[2]?.input).toEqual({ champion: champion('aqi-eaqi-instant'), run, windowDays: 7 });
    expect(calls[3]?.input).toEqual({ runId: 'mon-1', status: 'FINISHED' });
    expect(calls[4]?.input).toMatchObject({
      kind: 'model_degraded',
      key: `drift:aqi-eaqi-instant:4:${reported.to}`,
      title: 'aqi-eaqi-instant version 4: dataset drift and prediction drift',
      links: [{ label: 'Drift report', url: 'http://mlflow/report.html' }],
      workflowId,
    });
    expect(result.outcome).toEqual({
      outcome: 'reported',
      modelName: 'aqi-eaqi-instant',
      version: '4',
      reportId: 12,
      window: { from: reported.from, to: reported.to },
      datasetDrift: true,
      predictionDrift: true,
      targetDrift: false,
      summary: reported.summary,
      links: reported.links,
      retraining: noRetrain,
    });
    expect(result.memo?.monitoring).toMatchObject({
      outcome: 'reported',
      reportId: 12,
      report: 'http://mlflow/report.html',
    });
  });

  it('when live accuracy is worse than the holdout beyond the margin, then people are told once per version and horizon, even with no retrain', async () => {
    const degraded = {
      summary: 'live MAE 9.10 over 96 resolved hours is 1.40× the holdout MAE 6.50 (+0 h)',
      maeMargin: 0.25,
      accuracy: {
        modelName: 'aqi-eaqi-instant',
        modelVersion: '4',
        horizonHours: 0,
        from: '2024-12-25T00:00:00Z',
        to: '2025-01-01T00:00:00Z',
        resolved: 96,
        hours: 96,
        pending: 0,
        mae: 9.1,
        holdoutMae: 6.5,
        ratio: 1.4,
      },
    };
    const { activities, calls } = recording(fakes({ planRetraining: async () => ({ ...noRetrain, degraded }) }));

    const result = await withWorkers(ts, activities, ({ taskQueue }) =>
      ts.env.client.workflow.execute(monitorChampion, {
        taskQueue,
        workflowId: workflowIdFor('monitor-accuracy'),
        args: [{ modelName: 'aqi-eaqi-instant' }],
      }),
    );

    const told = calls.filter((c) => c.name === 'notify').map((c) => c.input as Record<string, unknown>);
    expect(told.map((a) => a.kind)).toEqual(['model_degraded', 'model_degraded']);
    expect(told[1]).toMatchObject({
      key: 'accuracy:aqi-eaqi-instant:4:+0h',
      severity: 'warning',
      title: 'aqi-eaqi-instant version 4: live accuracy degraded (1.40× the holdout MAE)',
      facts: { model: 'aqi-eaqi-instant', version: '4', horizon: '+0 h', 'live / holdout MAE': 1.4 },
      links: [{ label: 'Drift report', url: 'http://mlflow/report.html' }],
    });
    expect(String(told[1]?.text)).toContain('Above the retraining margin of 25 %');
    expect(result.retraining).toEqual(noRetrain);
  });

  it('when the model has no champion, then a clear result and nothing opened', async () => {
    const { activities, calls } = recording(fakes({ findChampion: async () => null }));

    const result = await withWorkers(ts, activities, ({ taskQueue }) =>
      ts.env.client.workflow.execute(monitorChampion, {
        taskQueue,
        workflowId: workflowIdFor('monitor-none'),
        args: [{ modelName: 'aqi-eaqi-forecast-6h' }],
      }),
    );

    expect(namesOf(calls)).toEqual(['findChampion']);
    expect(result).toEqual({
      outcome: 'no_champion',
      modelName: 'aqi-eaqi-forecast-6h',
      reason: expect.stringContaining('no version with the champion alias'),
    });
  });

  it('when the champion has no snapshot, then the report says why and the run still completes', async () => {
    const noReference: DriftReportOutcome = {
      reportId: 13,
      status: 'no_reference',
      reason: 'version 4 has no aqi.dataset_sha256 lineage tag',
      from: reported.from,
      to: reported.to,
      links: { run: run.url },
    };
    const { activities, calls } = recording(fakes({ reportChampionDrift: async () => noReference }));

    const result = await withWorkers(ts, activities, ({ taskQueue }) =>
      ts.env.client.workflow.execute(monitorChampion, {
        taskQueue,
        workflowId: workflowIdFor('monitor-untagged'),
        args: [{ modelName: 'aqi-eaqi-instant' }],
      }),
    );

    expect(namesOf(calls)).toEqual([
      'findChampion',
      'openMonitoringRun',
      'reportChampionDrift',
      'closeMonitoringRun',
      'planRetraining',
    ]);
    expect(result).toMatchObject({ outcome: 'no_reference', reportId: 13, reason: noReference.reason });
    expect(result).not.toHaveProperty('datasetDrift');
  });

  it('when the evidence claims a retrain, then a training run starts that outlives the monitor, waits for approval and names the report; a second trigger joins it', async () => {
    const retrainId = workflowIdFor('retrain-aqi-eaqi-instant-v4');
    // The child trains on the test's training queue, known once the workers are up.
    let trainingQueue = '';
    const plan = (action: 'start' | 'join'): RetrainPlan => ({
      action,
      workflowId: retrainId,
      request: {
        kind: 'instant',
        algorithm: 'random-forest',
        params: {},
        locationIds: ['lyon'],
        trainFrom: '2024-01-01T00:00:00Z',
        validationFrom: '2024-11-01T00:00:00Z',
        testFrom: '2024-12-01T00:00:00Z',
        testTo: '2025-01-01T00:00:00Z',
        modelName: 'aqi-eaqi-instant',
        approvalTimeout: '72h',
        tolerance: 0.05,
        trainingTaskQueue: trainingQueue,
      },
      trigger: {
        reason: 'dataset_drift',
        summary: 'dataset drift in each of the last 3 disjoint windows',
        modelName: 'aqi-eaqi-instant',
        fromVersion: '4',
        monitorWorkflowId: 'monitor-1',
        reportId: 12,
        reportUrl: 'http://mlflow/report.html',
        evidence: {
          reason: 'dataset_drift',
          summary: 'dataset drift in each of the last 3 disjoint windows',
          reportId: 12,
        },
        claimedAt: '2025-01-01T02:00:00.000Z',
        cooldownUntil: '2025-01-08T02:00:00.000Z',
      },
    });
    let planned = 0;
    const { activities, calls } = recording({
      ...lifecycleDefaults(),
      ...fakes({ planRetraining: async () => plan(planned++ === 0 ? 'start' : 'join') }),
    });

    const outcome = await withWorkers(ts, activities, async ({ taskQueue, trainingTaskQueue }) => {
      const monitor = (id: string) =>
        ts.env.client.workflow.execute(monitorChampion, {
          taskQueue,
          workflowId: workflowIdFor(id),
          args: [{ modelName: 'aqi-eaqi-instant' }],
        });
      trainingQueue = trainingTaskQueue;
      const first = await monitor('monitor-trigger-1');
      const retrain = ts.env.client.workflow.getHandle<typeof trainingPipeline>(retrainId);
      const status = await eventually(
        ts.env,
        () => retrain.query(promotionStatusQuery),
        (s) => s.stage === 'awaiting_approval',
      );
      const second = await monitor('monitor-trigger-2');
      const memo = (await retrain.describe()).memo;
      await retrain.terminate('test over');
      return { first, second, status, memo };
    });

    expect(outcome.first.retraining).toEqual({
      action: 'started',
      workflowId: retrainId,
      reason: 'dataset_drift',
      summary: 'dataset drift in each of the last 3 disjoint windows',
      cooldownUntil: '2025-01-08T02:00:00.000Z',
    });
    expect(outcome.second.retraining).toMatchObject({ action: 'joined', workflowId: retrainId });
    expect(outcome.status.trigger).toMatchObject({
      reason: 'dataset_drift',
      reportId: 12,
      reportUrl: 'http://mlflow/report.html',
    });
    expect(outcome.memo?.retrainTrigger).toMatchObject({
      reason: 'dataset_drift',
      report: 'http://mlflow/report.html',
    });
    expect(namesOf(calls).filter((n) => n === 'openTrainingRun')).toHaveLength(1);
    const approvalAlert = calls.find(
      (c) => c.name === 'notify' && (c.input as { kind: string }).kind === 'approval_pending',
    );
    expect((approvalAlert?.input as { text: string }).text).toContain('Retrain on evidence: dataset drift');
  });

  it('when the report fails for good, then the run is closed as FAILED and the workflow fails', async () => {
    const { activities, calls } = recording(
      fakes({
        reportChampionDrift: async () => {
          throw ApplicationFailure.nonRetryable('model artifact unreadable', 'INVALID_MODEL');
        },
      }),
    );

    const failure = await withWorkers(ts, activities, ({ taskQueue }) =>
      ts.env.client.workflow
        .execute(monitorChampion, {
          taskQueue,
          workflowId: workflowIdFor('monitor-broken'),
          args: [{ modelName: 'aqi-eaqi-instant' }],
        })
        .catch((err: unknown) => err),
    );

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(calls.at(-1)).toMatchObject({ name: 'closeMonitoringRun', input: { runId: 'mon-1', status: 'FAILED' } });
  });
});

describe('monitorChampions on the time-skipping test server', () => {
  it('when two models have champions and one report fails, then each runs as a child and the failure is listed', async () => {
    const { activities, calls } = recording(
      fakes({
        reportChampionDrift: async ({ champion: c }) => {
          if (c.modelName === 'aqi-eaqi-forecast-24h') {
            throw ApplicationFailure.nonRetryable('snapshot unreadable', 'BROKEN');
          }
          return reported;
        },
      }),
    );
    const workflowId = workflowIdFor('monitor-all');

    const result = await withWorkers(ts, activities, ({ taskQueue }) =>
      ts.env.client.workflow.execute(monitorChampions, { taskQueue, workflowId, args: [{ windowDays: 14 }] }),
    );

    expect(result.reports).toEqual([
      expect.objectContaining({
        modelName: 'aqi-eaqi-instant',
        outcome: 'reported',
        workflowId: `${workflowId}-aqi-eaqi-instant`,
      }),
    ]);
    expect(result.failed).toEqual([
      {
        modelName: 'aqi-eaqi-forecast-24h',
        workflowId: `${workflowId}-aqi-eaqi-forecast-24h`,
        error: expect.any(String),
      },
    ]);
    expect(calls.filter((c) => c.name === 'reportChampionDrift').map((c) => c.input)).toEqual([
      expect.objectContaining({ windowDays: 14, champion: champion('aqi-eaqi-forecast-24h') }),
      expect.objectContaining({ windowDays: 14, champion: champion('aqi-eaqi-instant') }),
    ]);
  });
});

import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

import type { AlertActivities } from '../activities/alerts';
import type { ChampionRef, DriftReportOutcome, MonitoringActivities } from '../activities/monitoring';
import { namesOf, recording } from '../test/workflows/activity-fakes';
import { startTimeSkipping, withWorkers, workflowIdFor, type TimeSkipping } from '../test/workflows/time-skipping';

import { monitorChampion } from './monitor-champion';
import { monitorChampions } from './monitor-champions';

/** monitorChampion and monitorChampions on the time-skipping test server with fake registry and report activities. */
let ts: TimeSkipping;
jest.setTimeout(60_000);
beforeAll(async () => {
  ts = await startTimeSkipping();
});
afterAll(async () => {
  await ts?.env.teardown();
});

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

function fakes(
  overrides: Partial<MonitoringActivities & AlertActivities> = {},
): MonitoringActivities & AlertActivities {
  return {
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
    ]);
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
    });
    expect(result.memo?.monitoring).toMatchObject({
      outcome: 'reported',
      reportId: 12,
      report: 'http://mlflow/report.html',
    });
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

    expect(namesOf(calls)).toEqual(['findChampion', 'openMonitoringRun', 'reportChampionDrift', 'closeMonitoringRun']);
    expect(result).toMatchObject({ outcome: 'no_reference', reportId: 13, reason: noReference.reason });
    expect(result).not.toHaveProperty('datasetDrift');
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

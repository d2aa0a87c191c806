/**
 * The paths through each workflow worth a recorded history: how to recognise a closed run of each
 * (`classify`, from its history) and how to start one (`start`, waiting until it has closed).
 */
import { runDoctor } from '../../cli/doctor';
import * as workflows from '../../workflows';
import type { IngestHistoryInput, IngestHistoryResult } from '../../workflows/ingest-history';
import type { MonitorChampionResult } from '../../workflows/monitor-champion';
import type { SensorDailyRollupResult } from '../../workflows/sensor-daily-rollup';
import type { SensorIncidentResult } from '../../workflows/sensor-incident';
import type { TrainingPipelineResult } from '../../workflows/training-pipeline';

import { captureModel, smallForest, type CaptureRuns } from './capture-runs';
import { has, type RunFacts } from './run-facts';

export type WorkflowType = keyof typeof workflows;

export interface CaseSpec {
  name: string;
  /** Starts a run of this case and waits until it has closed; returns the run whose history to record. */
  start: (capture: CaptureRuns) => Promise<{ workflowId: string; runId?: string }>;
}

export interface WorkflowCases {
  /** The case a closed run is, or undefined for a run none of the cases wants. */
  classify: (run: RunFacts) => string | undefined;
  cases: CaseSpec[];
}

/**
 * Every workflow the worker runs (typed by workflows/index.ts: a new export does not compile until it is
 * listed here) and the paths through it worth a history.
 */
export const workflowCases: Record<WorkflowType, WorkflowCases> = {
  doctor: {
    classify: (run) => (run.ending === 'completed' && has(run.result, 'healthy', true) ? 'healthy' : undefined),
    cases: [
      {
        name: 'healthy',
        start: async ({ config }) => {
          const { workflowId, runId } = await runDoctor(config);
          return { workflowId, runId };
        },
      },
    ],
  },
  ingestHistory: {
    classify: (run) => {
      const input = run.input as IngestHistoryInput;
      if (run.ending === 'continued-as-new') return 'continues-as-new';
      if (run.ending === 'completed' && input.carried) return 'continued-run';
      if (run.ending === 'completed') return (run.result as IngestHistoryResult).dryRun ? 'dry-run' : 'backfill';
      const refused = run.activities.includes('planHistorySource') && !run.activities.includes('ingestHistoryChunk');
      return run.ending === 'failed' && refused ? 'source-refused' : undefined;
    },
    cases: [
      {
        name: 'backfill',
        start: (capture) =>
          capture.run(workflows.ingestHistory, 'backfill', {
            locationIds: ['lyon'],
            from: '2024-01-01T00:00:00Z',
            to: '2024-01-31T23:00:00Z',
          }),
      },
      {
        name: 'dry-run',
        start: (capture) =>
          capture.run(workflows.ingestHistory, 'dry-run', {
            locationIds: ['lyon'],
            from: '2024-01-01T00:00:00Z',
            to: '2024-03-31T23:00:00Z',
            dryRun: true,
          }),
      },
      // One chunk per run over two months: a first run that continues as new, and the run it continues in.
      { name: 'continues-as-new', start: async (capture) => (await capture.continuedBackfill()).first },
      { name: 'continued-run', start: async (capture) => (await capture.continuedBackfill()).last },
      {
        name: 'source-refused',
        start: (capture) =>
          capture.run(workflows.ingestHistory, 'source-refused', {
            locationIds: ['lyon'],
            from: '2019-01-01T00:00:00Z',
            to: '2019-01-01T23:00:00Z',
          }),
      },
    ],
  },
  ingestHourly: {
    classify: (run) => {
      if (run.ending !== 'completed') return undefined;
      return has(run.input, 'hour') ? 'given-hour' : 'latest-hour';
    },
    cases: [
      {
        name: 'given-hour',
        start: (capture) =>
          capture.run(workflows.ingestHourly, 'given-hour', { locationIds: ['lyon'], hour: '2024-12-31T23:00:00Z' }),
      },
      // What a schedule starts: no hour, so the workflow asks the source for its latest one first.
      {
        name: 'latest-hour',
        start: (capture) => capture.run(workflows.ingestHourly, 'latest-hour', { locationIds: ['lyon'] }),
      },
    ],
  },
  checkDataQuality: {
    classify: (run) => {
      if (run.ending !== 'completed' && run.ending !== 'failed') return undefined;
      if (!has(run.input, 'from')) return 'latest-day';
      return run.ending === 'completed' ? 'passed' : 'failed';
    },
    cases: [
      {
        name: 'passed',
        start: (capture) =>
          capture.run(workflows.checkDataQuality, 'passed', {
            locationIds: ['lyon'],
            from: '2024-02-01T00:00:00Z',
            to: '2024-03-01T00:00:00Z',
          }),
      },
      // A window without a single reading: completeness fails, the run ends with a DataQualityError.
      {
        name: 'failed',
        start: (capture) =>
          capture.run(workflows.checkDataQuality, 'failed', {
            locationIds: ['paris'],
            from: '2023-01-01T00:00:00Z',
            to: '2023-01-02T00:00:00Z',
          }),
      },
      // What a schedule starts: no window, so the workflow asks the source for its latest hour first.
      {
        name: 'latest-day',
        start: (capture) => capture.run(workflows.checkDataQuality, 'latest-day', { locationIds: ['lyon'] }),
      },
    ],
  },
  trainingPipeline: {
    classify: (run) => {
      if (run.ending === 'failed') return run.childFailed ? 'data-quality-failed' : undefined;
      if (run.ending !== 'completed') return undefined;
      const outcome = (run.result as TrainingPipelineResult).outcome.replace(/_/g, '-');
      return run.decidedBy === 'update' ? `${outcome}-by-update` : outcome;
    },
    cases: [
      // Decided by the signal (the Web UI, `temporal workflow signal`, npm start) and by the update (airq, API).
      { name: 'promoted', start: (capture) => capture.promoted(1) },
      {
        name: 'rejected',
        start: (capture) => capture.decided('rejected', { params: smallForest(2) }, { reject: 'signal' }),
      },
      {
        name: 'promoted-by-update',
        start: (capture) => capture.decided('promoted-by-update', { params: smallForest(6) }, { approve: 'update' }),
      },
      {
        name: 'rejected-by-update',
        start: (capture) => capture.decided('rejected-by-update', { params: smallForest(7) }, { reject: 'update' }),
      },
      {
        name: 'expired',
        start: (capture) => capture.decided('expired', { params: smallForest(3), approvalTimeout: '3s' }),
      },
      // A linear candidate cannot beat the instant kind's linear baseline: the gate rejects it.
      {
        name: 'rejected-by-evaluation',
        start: (capture) => capture.decided('rejected-by-evaluation', { algorithm: 'linear', tolerance: 0.05 }),
      },
      // Paris holds two days (June 2025) of the nine-day window: the quality child fails, so does the run.
      {
        name: 'data-quality-failed',
        start: (capture) =>
          capture.decided('data-quality-failed', {
            locationIds: ['paris'],
            trainFrom: '2025-05-25T00:00:00Z',
            validationFrom: '2025-05-30T00:00:00Z',
            testFrom: '2025-06-01T00:00:00Z',
            testTo: '2025-06-03T00:00:00Z',
            params: smallForest(5),
          }),
      },
    ],
  },
  sensorIncident: {
    classify: (run) => {
      if (run.ending !== 'completed') return undefined;
      const result = run.result as SensorIncidentResult;
      if (result.closed?.reason === 'resolved' && result.escalationLevel > 0) return 'escalated-resolved';
      return result.closed?.reason === 'recovered' && result.acknowledged ? 'acknowledged-recovered' : undefined;
    },
    cases: [
      // Nobody acknowledges within 2 s: one escalation, then a person resolves it by the update.
      { name: 'escalated-resolved', start: (capture) => capture.incident('escalated-resolved') },
      // Acknowledged by the update, then the detector's faultRecovered signal closes it.
      { name: 'acknowledged-recovered', start: (capture) => capture.incident('acknowledged-recovered') },
    ],
  },
  sensorDailyRollup: {
    classify: (run) => {
      if (run.ending !== 'completed') return undefined;
      // What the 01:15 schedule starts: no day, so yesterday by the workflow's clock (nothing there).
      if (!has(run.input, 'day')) return 'yesterday';
      const { incidents } = run.result as SensorDailyRollupResult;
      if (incidents.started.length > 0) return 'incident-opened';
      return incidents.recovered.length > 0 ? 'incident-recovered' : undefined;
    },
    cases: [
      { name: 'yesterday', start: (capture) => capture.run(workflows.sensorDailyRollup, 'yesterday', {}) },
      // Seeded sensors around Lyon, one drifting then recalibrated: a child incident started, then signalled.
      { name: 'incident-opened', start: async (capture) => (await capture.sensorRollup()).opened },
      { name: 'incident-recovered', start: async (capture) => (await capture.sensorRollup()).recovered },
    ],
  },
  rollbackModel: {
    classify: (run) => (run.ending === 'completed' ? 'rolled-back' : undefined),
    cases: [
      {
        name: 'rolled-back',
        // A rollback needs a champion and a previous version: two promotions of the capture's model first.
        start: async (capture) => {
          await capture.promoted(1);
          await capture.promoted(4);
          return capture.run(workflows.rollbackModel, 'rolled-back', {
            modelName: captureModel,
            requestedBy: 'histories-capture',
            reason: 'history capture',
          });
        },
      },
    ],
  },
  monitorChampion: {
    classify: (run) => {
      if (run.ending !== 'completed') return undefined;
      const result = run.result as MonitorChampionResult;
      const retrain = result.retraining?.action;
      if (retrain === 'started' || retrain === 'joined') return `retrain-${retrain}`;
      return result.outcome.replace(/_/g, '-');
    },
    cases: [
      // The capture's promoted model, its window ending with Lyon 2024: a report with artifacts and a row.
      {
        name: 'reported',
        start: async (capture) => {
          await capture.promoted(1);
          return capture.run(workflows.monitorChampion, 'reported', {
            modelName: captureModel,
            to: '2025-01-01T00:00:00Z',
          });
        },
      },
      // A champion registered by hand, without a training run or lineage tags: a row saying why.
      {
        name: 'no-reference',
        start: async (capture) =>
          capture.run(workflows.monitorChampion, 'no-reference', { modelName: await capture.untaggedChampion() }),
      },
      {
        name: 'no-champion',
        start: (capture) =>
          capture.run(workflows.monitorChampion, 'no-champion', { modelName: 'histories-capture-no-champion' }),
      },
      // Every December week drifts against the snapshot; one window taken as enough evidence: a retrain child
      // starts (left waiting for its approval), and a second trigger within the cooldown joins it.
      {
        name: 'retrain-started',
        start: async (capture) => {
          await capture.promoted(1);
          return capture.run(workflows.monitorChampion, 'retrain-started', {
            modelName: captureModel,
            to: '2025-01-01T00:00:00Z',
            retraining: { driftWindows: 1 },
          });
        },
      },
      {
        name: 'retrain-joined',
        start: async (capture) => {
          await capture.promoted(1);
          return capture.run(workflows.monitorChampion, 'retrain-joined', {
            modelName: captureModel,
            to: '2024-12-25T00:00:00Z',
            retraining: { driftWindows: 1 },
          });
        },
      },
    ],
  },
  monitorChampions: {
    classify: (run) => (run.ending === 'completed' ? 'every-champion' : undefined),
    cases: [
      // Whatever platform models hold a champion on the capture's stack (none or some), each as a child.
      {
        name: 'every-champion',
        start: (capture) => capture.run(workflows.monitorChampions, 'every-champion', { to: '2025-01-01T00:00:00Z' }),
      },
    ],
  },
  startScheduledWork: {
    classify: (run) =>
      run.ending === 'completed' && run.activities.includes('latestSourceHour') ? 'ingest-hourly' : undefined,
    cases: [
      // A schedule's starter run by hand (no scheduled time: its start time), starting the hour's ingest.
      {
        name: 'ingest-hourly',
        start: (capture) =>
          capture.run(workflows.startScheduledWork, 'ingest-hourly', {
            work: 'ingestHourly',
            scheduleId: 'histories-capture',
            locationIds: ['lyon'],
            taskQueue: capture.config.temporal.taskQueue,
          }),
      },
    ],
  },
};

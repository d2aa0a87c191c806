/**
 * Starting the runs of the capture's cases, each waited for until it has closed, through the project's own
 * client functions (start-or-join, the training input, the decision point, the approval update).
 */
import type { Client, WorkflowHandle } from '@temporalio/client';

import { createMlflowClient } from '../../adapters/mlflow/client';
import { createPool } from '../../adapters/postgres/pool';
import { sendApproval, startBackfill, trainingInput, untilDecisionPoint } from '../../adapters/temporal/pipeline-runs';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import type { Config } from '../../config';
import { describeError } from '../../core/errors';
import { dayMs } from '../../core/sensors/rollup-day';
import { trainingRequest } from '../../core/training/request';
import { triggerNow } from '../../core/work-ids/trigger';
import { ingestHistory } from '../../workflows/ingest-history';
import { approvePromotionSignal } from '../../workflows/promotion-approval';
import { sensorDailyRollup } from '../../workflows/sensor-daily-rollup';
import {
  acknowledgeIncidentUpdate,
  faultRecoveredSignal,
  incidentStatusQuery,
  resolveIncidentUpdate,
  sensorIncident,
} from '../../workflows/sensor-incident';
import { trainingPipeline } from '../../workflows/training-pipeline';
import { seedRollupScenario } from '../support/sensor-rollup-seed';

/** The model the capture's training runs register, so the served models never move. */
export const captureModel = 'histories-capture-instant';

/** A seeded forest small enough to train in seconds (Lyon, September to December 2024). */
export function smallForest(seed: number) {
  return { seed, randomForest: { nEstimators: 10, maxSamples: 500 } };
}

/** Starting runs for the capture: ids `histories-<type>-<case>-<stamp>`, shared steps done once. */
export class CaptureRuns {
  private readonly shared = new Map<string, Promise<unknown>>();

  constructor(
    readonly client: Client,
    readonly config: Config,
    private readonly stamp: string,
  ) {}

  /** Starts (or joins) one run with the project's start-or-join and waits until it has closed. */
  async run<I, R>(workflow: (input: I) => Promise<R>, caseName: string, input: NoInfer<I>) {
    const workflowId = `histories-${workflow.name}-${caseName}-${this.stamp}`;
    // As every starter does: the start carries a trigger, which the workflow records (patched('work-triggers')).
    const trigger = triggerNow('cli', 'histories capture');
    const { handle } = await startOrJoin(this.client, this.config, workflow, workflowId, input, trigger);
    return closed(handle);
  }

  /** A sensor incident taken through one of its two paths by the project's update and signal definitions. */
  async incident(caseName: 'escalated-resolved' | 'acknowledged-recovered') {
    const workflowId = `histories-sensorIncident-${caseName}-${this.stamp}`;
    const { handle } = await startOrJoin(this.client, this.config, sensorIncident, workflowId, {
      anomalyId: `histories-${caseName}-${this.stamp}`,
      sensorId: 'HIST_001',
      anomalyType: 'flatline',
      measurement: 'pm2_5',
      severity: 'warning',
      faultStartedAt: '2024-01-15T14:30:00Z',
      summary: 'history capture',
      escalateAfter: '2s',
      maxEscalations: 1,
    });
    if (caseName === 'escalated-resolved') {
      for (let polls = 0; (await handle.query(incidentStatusQuery)).escalationLevel < 1; polls++) {
        if (polls > 60) throw new Error(`${workflowId} did not escalate`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await handle.executeUpdate(resolveIncidentUpdate, { args: [{ by: 'histories-capture' }] });
    } else {
      await handle.executeUpdate(acknowledgeIncidentUpdate, { args: [{ by: 'histories-capture' }] });
      await handle.signal(faultRecoveredSignal, { at: '2024-01-15T15:00:00Z' });
    }
    return closed(handle);
  }

  /**
   * Seven days of five seeded sensors around Lyon (the stored Lyon hours of 2024-02-10..16 as their air; the
   * first one's PM2.5 gain grows to 1.6, then it is recalibrated), rolled up day by day: the run whose
   * checks open a drift incident and the run whose checks close it.
   */
  sensorRollup() {
    return this.once('sensor-rollup', async () => {
      const firstDay = '2024-02-10';
      const days = Array.from({ length: 7 }, (_, i) =>
        new Date(Date.parse(firstDay) + i * dayMs).toISOString().slice(0, 10),
      );
      const backfill = await startBackfill(this.client, this.config, {
        locationIds: ['lyon'],
        from: `${firstDay}T00:00:00Z`,
        to: `${days.at(-1)}T23:00:00Z`,
      });
      await this.client.workflow.getHandle<typeof ingestHistory>(backfill.workflowId).result();
      const pool = createPool(this.config, { max: 2 });
      try {
        await seedRollupScenario(pool, {
          prefix: `H${this.stamp}`,
          firstDay,
          days: days.length,
          locationId: 'lyon',
          gainTo: 1.6,
          fixedFromDay: 4,
        });
      } finally {
        await pool.end();
      }
      const runs = [];
      for (const day of days) {
        const workflowId = `histories-sensorDailyRollup-${day}-${this.stamp}`;
        const { handle } = await startOrJoin(this.client, this.config, sensorDailyRollup, workflowId, { day });
        runs.push({ workflowId, result: await handle.result() });
      }
      const opened = runs.find((r) => r.result.incidents.started.length > 0);
      const recovered = runs.find((r) => r.result.incidents.recovered.length > 0);
      if (!opened || !recovered) throw new Error('the seeded days neither opened nor closed a drift incident');
      return { opened: { workflowId: opened.workflowId }, recovered: { workflowId: recovered.workflowId } };
    });
  }

  /** A model whose champion was registered by hand from an empty run, without lineage tags (its name). */
  untaggedChampion() {
    return this.once('untagged-champion', async () => {
      const name = 'histories-capture-untagged';
      const mlflow = createMlflowClient(this.config.mlflow.url);
      await mlflow.createRegisteredModel(name, { description: 'history capture: a champion without lineage' });
      const [existing] = await mlflow.searchModelVersions(`name='${name}'`);
      const experimentId = await mlflow.getOrCreateExperiment('histories-capture-untagged');
      const run = await mlflow.createRun({ experimentId, runName: 'untagged', startTime: Date.now(), tags: {} });
      const version =
        existing ?? (await mlflow.createModelVersion({ name, source: `${run.artifactUri}/model`, runId: run.runId }));
      await mlflow.setAlias(name, 'champion', version.version);
      return name;
    });
  }

  continuedBackfill() {
    return this.once('continued-backfill', async () => {
      const workflowId = `histories-ingestHistory-continue-as-new-${this.stamp}`;
      const { handle } = await startOrJoin(this.client, this.config, ingestHistory, workflowId, {
        locationIds: ['lyon'],
        from: '2024-04-01T00:00:00Z',
        to: '2024-05-31T23:00:00Z',
        maxParallelChunks: 1,
        chunksPerRun: 1,
      });
      await handle.result();
      // The handle follows the chain to its last run; the first one is found by its status.
      return { first: await this.runWithStatus(workflowId, 'CONTINUED_AS_NEW'), last: { workflowId } };
    });
  }

  /** A training run of the capture's model, approved and promoted (seed: which candidate). */
  promoted(seed: number) {
    return this.once(`promoted-${seed}`, () =>
      this.decided(`promoted-s${seed}`, { params: smallForest(seed) }, { approve: 'signal' }),
    );
  }

  /**
   * A training run of the capture's model, decided by the capture once it asks (through the update, as airq
   * and the API do, or the signal, as the Web UI and `temporal workflow signal` do), or by nobody.
   */
  async decided(
    caseName: string,
    request: Record<string, unknown>,
    decide?: { approve: 'signal' | 'update' } | { reject: 'signal' | 'update' },
  ) {
    const input = {
      ...trainingInput(
        this.config,
        trainingRequest.parse({
          kind: 'instant',
          locationIds: ['lyon'],
          trainFrom: '2024-09-01T00:00:00Z',
          validationFrom: '2024-11-01T00:00:00Z',
          testFrom: '2024-12-01T00:00:00Z',
          testTo: '2025-01-01T00:00:00Z',
          // Any candidate that beats its baseline may replace the last one: the capture wants every ending.
          tolerance: 1,
          ...request,
        }),
      ),
      modelName: captureModel,
    };
    const workflowId = `histories-trainingPipeline-${caseName}-${this.stamp}`;
    const { handle } = await startOrJoin(this.client, this.config, trainingPipeline, workflowId, input);
    if (decide) {
      const [decision, channel] =
        'approve' in decide ? (['approve', decide.approve] as const) : (['reject', decide.reject] as const);
      const payload = { approver: 'histories-capture', decision, comment: 'history capture' };
      const status = await untilDecisionPoint(handle, () => undefined);
      try {
        if (status?.stage === 'awaiting_approval' && channel === 'update') {
          await sendApproval(this.client, workflowId, payload);
        } else if (status?.stage === 'awaiting_approval') {
          await handle.signal(approvePromotionSignal, payload);
        }
      } catch (err) {
        // Left alone, the run would wait for a decision until its deadline (72 h by default).
        await handle.terminate(`history capture could not decide: ${describeError(err)}`).catch(() => undefined);
        throw err;
      }
    }
    return closed(handle);
  }

  private once<T>(key: string, body: () => Promise<T>): Promise<T> {
    const known = this.shared.get(key) as Promise<T> | undefined;
    if (known) return known;
    const started = body();
    this.shared.set(key, started);
    return started;
  }

  /** The run of a chain with that status (visibility may lag the close by a moment). */
  private async runWithStatus(workflowId: string, status: string): Promise<{ workflowId: string; runId: string }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      for await (const run of this.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        if (run.status.name === status) return { workflowId, runId: run.runId };
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`no run of ${workflowId} has status ${status}`);
  }
}

/** Waits for the run to close, whichever way: a failing case is a case too. */
async function closed(handle: WorkflowHandle): Promise<{ workflowId: string; runId?: string }> {
  await handle.result().catch(() => undefined);
  return { workflowId: handle.workflowId };
}

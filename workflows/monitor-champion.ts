/**
 * monitorChampion: the drift report of one model's champion (issue 14, deliverable 2).
 *   1. Find the champion (MLflow alias `champion`); none is a result (`no_champion`), not a failure.
 *   2. Open the report's MLflow run in the monitoring experiment (tagged with the model name and version).
 *   3. Report: reference = the champion's training snapshot (its lineage tags), current = the last
 *      `windowDays` of stored hours; feature, prediction and target drift; JSON and HTML artifacts and the
 *      `monitoring_reports` row. A champion without a readable snapshot gets a row saying why (`no_reference`).
 *   4. Close the run; the report's links go to the memo (the Web UI shows them) and the result; dataset or
 *      prediction drift alerts people (once per model version and window).
 *   5. Retrain on evidence (behind `patched('retrain-on-evidence')`): live MAE worse than the holdout, or
 *      dataset drift in the last disjoint windows, claims a retrain (one per model within the cooldown) and
 *      starts `trainingPipeline` on the latest windows as a child it does not wait for (the run still meets
 *      the evaluation gate and a person's approval), or joins the one already claimed. A live MAE beyond the
 *      margin also alerts people (behind `patched('accuracy-alert')`, once per version and horizon), whether
 *      or not a retrain follows.
 * The result carries the verdicts (dataset, prediction, target drift), the live accuracy, the report id and
 * what became of the evidence.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  patched,
  proxyActivities,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { ChampionRef, DriftReportOutcome, MonitoringActivities } from '../activities/monitoring';
import type { RetrainingActivities } from '../activities/retraining';
import { accuracyDegradedAlert, modelDriftAlert } from '../core/alerts/pipeline-alerts';
import type { LiveAccuracy } from '../core/monitoring/accuracy/live-accuracy';
import type { RetrainingOverrides } from '../core/monitoring/retraining/policy';
import { searchAttributes } from '../temporal/search-attributes';

import { tell } from './alerting';
import { trainingPipeline } from './training-pipeline';

export interface MonitorChampionInput {
  modelName: string;
  /** Days of stored hours in the current window (default 7). */
  windowDays?: number;
  /** End of the current window (ISO hour, exclusive); default the hour after the newest stored one. */
  to?: string;
  /** Fewer values than this on a side: "not enough data" for that column (default 30). */
  minRows?: number;
  /** Share of drifted features that is dataset drift (default 0.5, Evidently's). */
  driftShare?: number;
  /** Overrides of the retraining policy (RETRAIN_* by default): margin, hours, drift windows, cooldown. */
  retraining?: RetrainingOverrides;
}

/** What the evidence led to: nothing (and why), a retrain started, or one already claimed joined. */
export type RetrainingOutcome =
  | { action: 'none'; why: string }
  | {
      action: 'started' | 'joined';
      workflowId: string;
      reason: 'dataset_drift' | 'live_accuracy';
      summary: string;
      cooldownUntil: string;
    };

export interface MonitorChampionResult {
  outcome: 'reported' | 'no_reference' | 'no_champion';
  modelName: string;
  version?: string;
  reportId?: number;
  reason?: string;
  window?: { from: string; to: string };
  datasetDrift?: boolean;
  predictionDrift?: boolean;
  targetDrift?: boolean;
  summary?: string;
  accuracy?: LiveAccuracy[];
  links?: DriftReportOutcome['links'];
  retraining?: RetrainingOutcome;
}

// MLflow and PostgreSQL calls: retried with backoff while a service restarts.
const { findChampion, openMonitoringRun, closeMonitoringRun } = proxyActivities<MonitoringActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

// Downloads a year's snapshot and scores it and the window with the champion: seconds, heartbeating between steps.
const { reportChampionDrift } = proxyActivities<MonitoringActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

const { planRetraining } = proxyActivities<RetrainingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export async function monitorChampion(input: MonitorChampionInput): Promise<MonitorChampionResult> {
  const { modelName } = input;
  upsertSearchAttributes([{ key: searchAttributes.pipeline, value: 'monitorChampion' }]);

  // 1. Champion
  const champion = await findChampion({ modelName });
  if (!champion) {
    const reason = `${modelName} has no version with the champion alias: nothing is served, nothing to monitor`;
    upsertMemo({ monitoring: { outcome: 'no_champion', reason } });
    return { outcome: 'no_champion', modelName, reason };
  }
  upsertSearchAttributes([{ key: searchAttributes.modelVersion, value: `${modelName}:${champion.version}` }]);

  // 2. Run
  const run = await openMonitoringRun({ modelName, version: champion.version });

  // 3. Report
  let outcome: DriftReportOutcome;
  try {
    outcome = await reportChampionDrift({
      champion,
      run,
      ...(input.windowDays === undefined ? {} : { windowDays: input.windowDays }),
      ...(input.to === undefined ? {} : { to: input.to }),
      ...(input.minRows === undefined ? {} : { minRows: input.minRows }),
      ...(input.driftShare === undefined ? {} : { driftShare: input.driftShare }),
    });
  } catch (err) {
    await closeMonitoringRun({ runId: run.runId, status: 'FAILED' });
    throw err;
  }

  // 4. Close, link
  await closeMonitoringRun({ runId: run.runId, status: 'FINISHED' });
  upsertMemo({
    monitoring: {
      outcome: outcome.status,
      reportId: outcome.reportId,
      ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      report: outcome.links.html ?? outcome.links.run,
      run: outcome.links.run,
    },
  });
  if (outcome.datasetDrift === true || outcome.predictionDrift === true) {
    await tell(
      modelDriftAlert({
        workflowId: workflowInfo().workflowId,
        modelName,
        version: champion.version,
        windowTo: outcome.to,
        summary: outcome.summary ?? 'drift found',
        datasetDrift: outcome.datasetDrift === true,
        predictionDrift: outcome.predictionDrift === true,
        ...(outcome.links.html === undefined ? {} : { reportUrl: outcome.links.html }),
        at: new Date().toISOString(),
      }),
    );
  }
  // 5. Retrain on evidence
  const retraining = patched('retrain-on-evidence')
    ? await retrainOnEvidence(champion, outcome, input.retraining)
    : undefined;
  return {
    outcome: outcome.status,
    modelName,
    version: champion.version,
    reportId: outcome.reportId,
    window: { from: outcome.from, to: outcome.to },
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(outcome.datasetDrift === undefined ? {} : { datasetDrift: outcome.datasetDrift }),
    ...(outcome.predictionDrift === undefined ? {} : { predictionDrift: outcome.predictionDrift }),
    ...(outcome.targetDrift === undefined ? {} : { targetDrift: outcome.targetDrift }),
    ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
    ...(outcome.accuracy === undefined ? {} : { accuracy: outcome.accuracy }),
    links: outcome.links,
    ...(retraining === undefined ? {} : { retraining }),
  };
}

/**
 * Weighs the evidence (activity), and when it calls for a retrain, starts the claimed training run or joins
 * it: its id comes from the claim, so every trigger within the cooldown names the same run. The run outlives
 * this workflow (ABANDON): it waits for a person, the monitor does not.
 */
async function retrainOnEvidence(
  champion: ChampionRef,
  outcome: DriftReportOutcome,
  overrides: RetrainingOverrides | undefined,
): Promise<RetrainingOutcome> {
  const plan = await planRetraining({
    champion,
    report: { id: outcome.reportId, to: outcome.to },
    ...(outcome.accuracy === undefined ? {} : { accuracy: outcome.accuracy }),
    ...(overrides === undefined ? {} : { overrides }),
  });
  if (patched('accuracy-alert') && plan.degraded !== undefined) {
    const { accuracy, summary, maeMargin } = plan.degraded;
    await tell(
      accuracyDegradedAlert({
        workflowId: workflowInfo().workflowId,
        modelName: champion.modelName,
        version: champion.version,
        horizonHours: accuracy.horizonHours,
        ...(accuracy.ratio === undefined ? {} : { ratio: accuracy.ratio }),
        maeMargin,
        summary,
        ...(outcome.links.html === undefined ? {} : { reportUrl: outcome.links.html }),
        at: new Date().toISOString(),
      }),
    );
  }
  if (plan.action === 'none') return { action: 'none', why: plan.why };
  const { trigger } = plan;
  let started = false;
  try {
    await startChild(trainingPipeline, {
      workflowId: plan.workflowId,
      args: [{ ...plan.request, trigger }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // As startOrJoin: a run that completed (approved, rejected, expired) is the answer; a failed one runs again.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      memo: {
        retrainTrigger: {
          reason: trigger.reason,
          summary: trigger.summary,
          ...(trigger.reportUrl === undefined ? {} : { report: trigger.reportUrl }),
          monitor: trigger.monitorWorkflowId,
        },
      },
    });
    started = true;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const result: RetrainingOutcome = {
    action: started ? 'started' : 'joined',
    workflowId: plan.workflowId,
    reason: trigger.reason,
    summary: trigger.summary,
    cooldownUntil: trigger.cooldownUntil,
  };
  upsertMemo({ retraining: { action: result.action, workflowId: result.workflowId, reason: result.reason } });
  return result;
}

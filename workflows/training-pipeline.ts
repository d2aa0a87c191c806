/**
 * trainingPipeline: one candidate model from stored readings to production, with a person deciding.
 *   1. Extract: snapshot the window as an MLflow run artifact (range, rows, sha256); only references travel on.
 *   2. Validate: the data-quality check of that window (child workflow); a fail stops the run.
 *   3. Train: on the training worker's queue, heartbeating trees done; a retry trains the same seeded model.
 *   4. Evaluate: candidate, baseline and current champion on the same holdout; a failed gate ends the run
 *      as "rejected by evaluation" and asks nobody.
 *   5. Register: one model version per run, lineage tags, alias `challenger`.
 *   6. Await approval: the `approvePromotion` update (answers accepted or refused at once) or signal (Web UI,
 *      `temporal workflow signal`), both under the rules of core/training/promotion.ts (handlers in
 *      ./promotion-approval.ts), until the deadline (then "expired"). People are alerted when it starts to
 *      wait and again before the deadline.
 *   7. Promote: alias `champion` (the old one becomes `previous`).
 *   8. Deploy: the API reloads and confirms it serves the version.
 * Every decision is audited (table `model_promotions` and model-version tags). The `promotionStatus` query
 * and the `PipelineStage` search attribute show where the run is; a retrain the champion monitor started
 * (`trigger`) shows there, from the first step, the drift or accuracy report that caused it.
 */
import {
  ApplicationFailure,
  condition,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { QualityOutcome } from '../activities/quality';
import type { TrainingActivities, TrainingComputeActivities } from '../activities/training';
import type { EvaluationSummary } from '../activities/training/evaluate';
import type { CandidateSpec, DatasetRef, TrainingRunRef } from '../activities/training/types';
import {
  approvalExpiringAlert,
  approvalPendingAlert,
  expiryWarningMs,
  pipelineFailedAlert,
} from '../core/alerts/pipeline-alerts';
import type { RetrainTrigger } from '../core/monitoring/retraining/request';
import { durationMs, modelNameFor, type PipelineStage } from '../core/training/promotion';
import { searchAttributes } from '../temporal/search-attributes';

import { tell } from './alerting';
import { checkDataQuality } from './check-data-quality';
import { acceptApprovals, type PromotionStatus, type ReceivedDecision } from './promotion-approval';
import { recordTriggers } from './work-triggers';

export interface TrainingPipelineInput {
  kind: 'instant' | 'forecast';
  /** Hours ahead for a forecast model (default 24); an instant model predicts the hour itself (0). */
  horizonHours?: number;
  algorithm?: CandidateSpec['algorithm'];
  /** Hyper-parameters; the defaults of core/ml fill what is left out. */
  params?: Record<string, unknown>;
  locationIds: string[];
  /** Windows by the hour predicted (ISO, whole hours): [trainFrom, validationFrom) trains, then validation, then the holdout [testFrom, testTo). */
  trainFrom: string;
  validationFrom: string;
  testFrom: string;
  testTo: string;
  /** How long to wait for a decision, e.g. "72h" (default) or "30s" in tests. */
  approvalTimeout?: string;
  /** How much worse than the champion (relative holdout MAE) a challenger may be. Default 0.05. */
  tolerance?: number;
  /** The training worker's task queue (default `aqi-training`). */
  trainingTaskQueue?: string;
  /** Registered-model name; defaults to the kind's (aqi-eaqi-instant, aqi-eaqi-forecast-24h). */
  modelName?: string;
  /** How soon a dead training worker is noticed (heartbeat timeout of train/evaluate, default 1 minute). */
  trainingHeartbeatTimeout?: string;
  /** Set when the champion monitor's evidence started this run (retraining on evidence): why, and the report. */
  trigger?: RetrainTrigger;
}

export interface TrainingPipelineResult {
  outcome: 'promoted' | 'rejected' | 'expired' | 'rejected_by_evaluation';
  modelName: string;
  runId: string;
  version?: string;
  dataset: DatasetRef;
  qualityReportId: number;
  evaluation: EvaluationSummary;
  decision?: ReceivedDecision;
  previousChampion?: string;
  deploy?: { confirmed: boolean; detail: string };
}

// Registry and database calls: quick, retried with backoff while MLflow or PostgreSQL restarts.
const lifecycle = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

// The API may be restarting or absent (it also polls the aliases): a few tries, then report it.
const { deployToApi } = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 4 },
});

export async function trainingPipeline(input: TrainingPipelineInput): Promise<TrainingPipelineResult> {
  recordTriggers();
  // Alerts sent beside the work (the approval request, its reminder), never in its way: an approval that
  // comes while one is still being delivered is taken at once. The run ends once they are through.
  const alerts: Promise<void>[] = [];
  try {
    const result = await runTrainingPipeline(input, alerts);
    await Promise.all(alerts);
    return result;
  } catch (err) {
    await Promise.all(alerts);
    // A data-quality fail has told people already (its own alert); a cancellation was someone's choice.
    if (!isCancellation(err) && !isDataQualityFailure(err)) {
      const { workflowId } = workflowInfo();
      await tell(
        pipelineFailedAlert({ workflowId, pipeline: 'trainingPipeline', reason: failureText(err), at: nowIso() }),
      );
    }
    throw err;
  }
}

async function runTrainingPipeline(
  input: TrainingPipelineInput,
  alerts: Promise<void>[],
): Promise<TrainingPipelineResult> {
  const horizonHours = input.kind === 'instant' ? 0 : (input.horizonHours ?? 24);
  const candidate: CandidateSpec = {
    modelName: input.modelName ?? modelNameFor(input.kind, horizonHours),
    kind: input.kind,
    horizonHours,
    algorithm: input.algorithm ?? 'random-forest',
    params: input.params ?? {},
  };
  // Training can take minutes and blocks its worker's event loop: heartbeats between trees, one at a time
  // on a worker of its own, so a killed trainer is noticed within the heartbeat timeout and retried.
  const compute = proxyActivities<TrainingComputeActivities>({
    taskQueue: input.trainingTaskQueue ?? 'aqi-training',
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: input.trainingHeartbeatTimeout ?? '1 minute',
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
  });

  // The trigger only shapes what the query answers (no command): histories from before it replay as they are.
  const status: PromotionStatus = {
    stage: 'extracting',
    modelName: candidate.modelName,
    invalidSignals: [],
    ...(input.trigger === undefined ? {} : { trigger: input.trigger }),
  };
  const decisionTaken = acceptApprovals(status);
  const enter = (stage: PipelineStage) => {
    status.stage = stage;
    upsertSearchAttributes([{ key: searchAttributes.stage, value: stage }]);
  };
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'trainingPipeline' },
    { key: searchAttributes.locations, value: [...input.locationIds].sort() },
    { key: searchAttributes.rangeStart, value: new Date(input.trainFrom) },
    { key: searchAttributes.rangeEnd, value: new Date(input.testTo) },
    { key: searchAttributes.stage, value: status.stage },
  ]);

  // 1. Extract
  const run: TrainingRunRef = await lifecycle.openTrainingRun({ candidate });
  status.runId = run.runId;
  const dataset = await lifecycle.extractDataset({
    run,
    locationIds: input.locationIds,
    from: input.trainFrom,
    to: input.testTo,
  });

  // 2. Validate
  enter('validating');
  let quality: QualityOutcome;
  try {
    quality = await executeChild(checkDataQuality, {
      workflowId: `${workflowInfo().workflowId}-quality`,
      args: [{ locationIds: input.locationIds, from: input.trainFrom, to: input.testTo, now: input.testTo }],
    });
  } catch (err) {
    await lifecycle.closeTrainingRun({ run, status: 'FAILED', outcome: 'data_quality_failed' });
    throw err;
  }

  // 3. Train, 4. Evaluate
  enter('training');
  const windows = { validationFrom: input.validationFrom, testFrom: input.testFrom, testTo: input.testTo };
  const trained = await compute.trainCandidate({ run, dataset, candidate, windows });
  enter('evaluating');
  const evaluation = await compute.evaluateCandidate({
    run,
    dataset,
    candidate,
    trained,
    windows,
    tolerance: input.tolerance ?? 0.05,
  });
  status.evaluation = evaluation;
  const base = {
    modelName: candidate.modelName,
    runId: run.runId,
    dataset,
    qualityReportId: quality.reportId,
    evaluation,
  };
  if (!evaluation.gate.passed) {
    enter('rejected_by_evaluation');
    await lifecycle.closeTrainingRun({ run, status: 'FINISHED', outcome: 'rejected_by_evaluation' });
    await lifecycle.recordDecision({
      modelName: candidate.modelName,
      decision: 'rejected_by_evaluation',
      decidedAt: new Date().toISOString(),
      comment: evaluation.gate.reasons.join('; '),
      details: { runId: run.runId, gate: evaluation.gate },
    });
    return { ...base, outcome: 'rejected_by_evaluation' };
  }

  // 5. Register
  enter('registering');
  const { version } = await lifecycle.registerChallenger({
    run,
    candidate,
    dataset,
    evaluation,
    qualityReportId: quality.reportId,
  });
  status.version = version;
  upsertSearchAttributes([{ key: searchAttributes.modelVersion, value: `${candidate.modelName}/${version}` }]);

  // 6. Await approval
  const requestedAt = new Date();
  const timeout = input.approvalTimeout ?? '72h';
  const deadline = new Date(requestedAt.getTime() + durationMs(timeout)).toISOString();
  status.deadline = deadline;
  enter('awaiting_approval');
  upsertSearchAttributes([{ key: searchAttributes.promotionStatus, value: 'awaiting_approval' }]);
  const approvalFacts = {
    workflowId: workflowInfo().workflowId,
    modelName: candidate.modelName,
    version,
    holdoutMae: evaluation.candidate.mae,
    deadline,
    at: requestedAt.toISOString(),
    ...(input.trigger === undefined
      ? {}
      : { why: `${input.trigger.summary}${input.trigger.reportUrl ? ` (report ${input.trigger.reportUrl})` : ''}` }),
  };
  alerts.push(tell(approvalPendingAlert(approvalFacts)));
  const decided = await awaitDecision(
    () => decisionTaken() !== undefined,
    durationMs(timeout),
    () => alerts.push(tell(approvalExpiringAlert({ ...approvalFacts, at: nowIso() }))),
  );
  const audit = {
    modelName: candidate.modelName,
    modelVersion: version,
    requestedAt: requestedAt.toISOString(),
    details: { runId: run.runId, holdoutMae: evaluation.candidate.mae, invalidSignals: status.invalidSignals },
  };
  const made = decisionTaken();
  if (!decided || made === undefined) {
    enter('expired');
    upsertSearchAttributes([{ key: searchAttributes.promotionStatus, value: 'expired' }]);
    await lifecycle.recordDecision({ ...audit, decision: 'expired', decidedAt: new Date().toISOString() });
    return { ...base, outcome: 'expired', version };
  }
  const byWhom = {
    approver: made.approver,
    decidedAt: made.receivedAt,
    ...(made.comment ? { comment: made.comment } : {}),
  };
  if (made.decision === 'reject') {
    enter('rejected');
    upsertSearchAttributes([{ key: searchAttributes.promotionStatus, value: 'rejected' }]);
    await lifecycle.recordDecision({ ...audit, ...byWhom, decision: 'rejected' });
    return { ...base, outcome: 'rejected', version, decision: made };
  }

  // 7. Promote, 8. Deploy
  enter('promoting');
  const promoted = await lifecycle.promoteChampion({ modelName: candidate.modelName, version });
  await lifecycle.recordDecision({
    ...audit,
    ...byWhom,
    decision: 'approved',
    ...(promoted.previousVersion ? { previousVersion: promoted.previousVersion } : {}),
  });
  enter('deploying');
  status.deploy = await deploy(candidate.modelName, version);
  enter('promoted');
  upsertSearchAttributes([{ key: searchAttributes.promotionStatus, value: 'promoted' }]);
  return {
    ...base,
    outcome: 'promoted',
    version,
    decision: made,
    ...(promoted.previousVersion ? { previousChampion: promoted.previousVersion } : {}),
    deploy: status.deploy,
  };
}

/**
 * Waits for the decision until the deadline; behind the `approval-reminder` patch, a reminder goes out
 * `expiryWarningMs` before it (histories from before the reminder wait in one piece, as they were recorded).
 */
async function awaitDecision(decided: () => boolean, waitMs: number, remind: () => unknown): Promise<boolean> {
  if (!patched('approval-reminder')) return condition(decided, waitMs);
  const warnMs = expiryWarningMs(waitMs);
  if (await condition(decided, waitMs - warnMs)) return true;
  remind();
  return condition(decided, warnMs);
}

function isDataQualityFailure(err: unknown): boolean {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type === 'DataQualityError') return true;
  }
  return false;
}

/** The deepest message of a failure chain: the activity's own words rather than "Activity task failed". */
function failureText(err: unknown): string {
  let text = err instanceof Error ? err.message : String(err);
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) text = cause.message || text;
  return text;
}

const nowIso = () => new Date().toISOString();

/** Tells the API to reload; a deploy that cannot be confirmed is reported, the promotion stands. */
export async function deploy(modelName: string, version: string): Promise<{ confirmed: boolean; detail: string }> {
  try {
    return await deployToApi({ modelName, version });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return { confirmed: false, detail: `the API did not confirm (it polls the aliases and will pick it up): ${cause}` };
  }
}

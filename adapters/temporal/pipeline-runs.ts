import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';

import type { Config } from '../../config';
import { AppError, describeError } from '../../core/errors';
import { admitDecision, type ApprovalDecision } from '../../core/training/promotion';
import type { TrainingRequest } from '../../core/training/request';
import { trainingWorkId } from '../../core/work-ids/training';
import type { WorkTrigger } from '../../core/work-ids/trigger';
import { dataQualityWorkId, ingestHistoryWorkId } from '../../core/work-ids/work-ids';
import { checkDataQuality } from '../../workflows/check-data-quality';
import { ingestHistory } from '../../workflows/ingest-history';
import {
  approvePromotionUpdate,
  promotionStatusQuery,
  type DecisionTaken,
  type PromotionStatus,
} from '../../workflows/promotion-approval';
import { trainingPipeline, type TrainingPipelineInput } from '../../workflows/training-pipeline';

import { workflowUrl } from './client';
import { triggersOf, type TriggerView } from './run-triggers';
import { startOrJoin } from './start-or-join';
import { answeredWithin, defaultUpdateWaitMs } from './update-wait';

/**
 * The pipeline runs an operator starts, shared by the `airq` CLI and the HTTP API: each derives its
 * workflow id from the work, starts or joins it, and answers with the Temporal Web UI link.
 */

export interface StartedPipeline {
  workflowId: string;
  started: boolean;
  /** The run that had already done this work: nothing new started. */
  completedRun?: string;
  url: string;
}

/** The workflow input of a validated training request, with the platform's configured approval defaults. */
export function trainingInput(config: Config, request: TrainingRequest): TrainingPipelineInput {
  return {
    ...request,
    approvalTimeout: request.approvalTimeout ?? config.promotion.approvalTimeout,
    tolerance: request.tolerance ?? config.promotion.tolerance,
    trainingTaskQueue: config.temporal.trainingTaskQueue,
  };
}

export async function startTraining(client: Client, config: Config, request: TrainingRequest, trigger?: WorkTrigger) {
  const workflowId = trainingWorkId(request);
  const input = trainingInput(config, request);
  const run = await startOrJoin(client, config, trainingPipeline, workflowId, input, trigger);
  return { ...run, workflowId, url: workflowUrl(config, workflowId) };
}

export async function startBackfill(
  client: Client,
  config: Config,
  input: { locationIds: string[]; from: string; to: string; dryRun?: boolean; maxParallelChunks?: number },
  trigger?: WorkTrigger,
): Promise<StartedPipeline> {
  const workflowId = ingestHistoryWorkId(input.locationIds, input.from, input.to, input.dryRun === true);
  const run = await startOrJoin(client, config, ingestHistory, workflowId, input, trigger);
  return startedPipeline(config, workflowId, run);
}

export async function startQualityCheck(
  client: Client,
  config: Config,
  input: { locationIds: string[]; from: string; to: string },
  trigger?: WorkTrigger,
): Promise<StartedPipeline> {
  const workflowId = dataQualityWorkId(input.locationIds, input.from, input.to);
  const run = await startOrJoin(client, config, checkDataQuality, workflowId, input, trigger);
  return startedPipeline(config, workflowId, run);
}

function startedPipeline(
  config: Config,
  workflowId: string,
  run: { started: boolean; completedRun?: string },
): StartedPipeline {
  return {
    workflowId,
    started: run.started,
    ...(run.completedRun === undefined ? {} : { completedRun: run.completedRun }),
    url: workflowUrl(config, workflowId),
  };
}

export interface PipelineDescription {
  workflowId: string;
  type: string;
  status: string;
  startedAt?: string;
  closedAt?: string;
  url: string;
  promotionStatus?: PromotionStatus;
  /** Who asked for the work (memo `triggers`), an Airflow run linked to its page. */
  triggers: TriggerView[];
}

/** How long the status of a training run waits for its promotionStatus query (answered by a worker). */
const statusQueryTimeoutMs = 3000;

/** Status of a run by id; a training run also reports its promotion status (stage, metrics, deadline). */
export async function describePipeline(
  client: Client,
  config: Config,
  workflowId: string,
): Promise<PipelineDescription> {
  const handle = client.workflow.getHandle<typeof trainingPipeline>(workflowId);
  try {
    const d = await handle.describe();
    // A query needs a worker: while none polls (stopped, restarting), answer the status without it, soon.
    const promotionStatus =
      d.type === trainingPipeline.name
        ? await client.connection
            .withDeadline(Date.now() + statusQueryTimeoutMs, () => handle.query(promotionStatusQuery))
            .catch(() => undefined)
        : undefined;
    return {
      workflowId,
      type: d.type,
      status: d.status.name,
      ...(d.startTime ? { startedAt: d.startTime.toISOString() } : {}),
      ...(d.closeTime ? { closedAt: d.closeTime.toISOString() } : {}),
      url: workflowUrl(config, workflowId, d.runId),
      ...(promotionStatus ? { promotionStatus } : {}),
      triggers: triggersOf(d.memo, config),
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new AppError('PIPELINE_NOT_FOUND', `no pipeline run ${workflowId}`, { httpStatus: 404, operational: true });
    }
    throw err;
  }
}

/**
 * Decides on a registered challenger through the `approvePromotion` update: the workflow's validator
 * answers at once, so the caller learns whether the decision was taken (and the stage after it) or why it
 * was refused, with no signal sent in the hope that it takes. Refused: 409 with the reason (also for a run
 * that has closed, by the same rules); an unknown workflow id: 404; no worker answering within `waitMs`: 503.
 */
export async function sendApproval(
  client: Client,
  workflowId: string,
  decision: ApprovalDecision,
  waitMs = defaultUpdateWaitMs,
): Promise<DecisionTaken> {
  const handle = client.workflow.getHandle<typeof trainingPipeline>(workflowId);
  try {
    return await answeredWithin(client, waitMs, `the ${decision.decision} of ${workflowId}`, () =>
      handle.executeUpdate(approvePromotionUpdate, { args: [decision] }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refused(describeError(err.cause ?? err), err);
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  // Not found: either no such run, or a run that has closed (the server takes no update then).
  const closed = await handle.describe().catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) {
      throw new AppError('PIPELINE_NOT_FOUND', `no training run ${workflowId}`, { httpStatus: 404, operational: true });
    }
    throw err;
  });
  const status = await answeredWithin(client, waitMs, `the status query of ${workflowId}`, () =>
    handle.query(promotionStatusQuery),
  ).catch(() => undefined);
  const admitted = status ? admitDecision(decision, status) : undefined;
  throw refused(
    `${workflowId} is ${closed.status.name.toLowerCase()}${admitted && !admitted.ok ? `: ${admitted.reason}` : ''}`,
  );
}

function refused(reason: string, cause?: unknown): AppError {
  return new AppError('APPROVAL_REFUSED', reason, { httpStatus: 409, operational: true, cause });
}

/**
 * Follows a training run until it awaits a decision or has finished, calling `onStage` at each new stage
 * (polls the promotionStatus query every second). Returns the status at that point; undefined if the run
 * ended before it answered a query.
 */
export async function untilDecisionPoint(
  handle: WorkflowHandle<typeof trainingPipeline>,
  onStage: (status: PromotionStatus) => void,
): Promise<PromotionStatus | undefined> {
  let last = '';
  let finished = false;
  void handle
    .result()
    .catch(() => undefined)
    .finally(() => (finished = true));
  for (;;) {
    const status = await handle.query(promotionStatusQuery).catch(() => undefined);
    if (status && status.stage !== last) {
      last = status.stage;
      onStage(status);
    }
    if (status?.stage === 'awaiting_approval' || finished) return status;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

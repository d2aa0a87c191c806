/**
 * How a person decides on a training run's challenger: the `approvePromotion` update (answers accepted or
 * refused at once) and signal (the Web UI, `temporal workflow signal`), both admitted under the rules of
 * core/training/promotion.ts, and the `promotionStatus` query that shows where the run is. The pipeline
 * owns the status; this file keeps the decision and the refused signals in it.
 */
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
} from '@temporalio/workflow';

import type { EvaluationSummary } from '../activities/training/evaluate';
import type { RetrainTrigger } from '../core/monitoring/retraining/request';
import { admitDecision, type ApprovalDecision, type PipelineStage } from '../core/training/promotion';

export interface InvalidSignal {
  receivedAt: string;
  reason: string;
}

export interface PromotionStatus {
  stage: PipelineStage;
  modelName: string;
  runId?: string;
  version?: string;
  evaluation?: EvaluationSummary;
  /** When the request for approval expires (while awaiting approval and after). */
  deadline?: string;
  decision?: ReceivedDecision;
  invalidSignals: InvalidSignal[];
  deploy?: { confirmed: boolean; detail: string };
  /** Why the run was started, when the monitor's evidence did: the approver sees the report that caused it. */
  trigger?: RetrainTrigger;
}

/** A decision as the run received it: what was decided, by whom, and when it arrived. */
export type ReceivedDecision = ApprovalDecision & { receivedAt: string };

/** What the `approvePromotion` update answers once the decision is taken: the decision and the stage after it. */
export interface DecisionTaken extends ApprovalDecision {
  receivedAt: string;
  /** `promoting` after an approval, `rejected` after a rejection. */
  stage: PipelineStage;
}

// One name, two message kinds: the update answers its caller (accepted, or refused by the validator with the
// reason, which leaves no trace in history); the signal is what the Web UI and `temporal workflow signal`
// send, and a refused one is kept in promotionStatus.invalidSignals.
export const approvePromotionUpdate = defineUpdate<DecisionTaken, [ApprovalDecision]>('approvePromotion');
export const approvePromotionSignal = defineSignal<[unknown]>('approvePromotion');
export const promotionStatusQuery = defineQuery<PromotionStatus>('promotionStatus');

/**
 * Registers the query, signal and update handlers for the run whose `status` this is, and returns what was
 * decided so far. Handlers add no command (no activity, timer or child): histories recorded before the
 * update replay as they are.
 */
export function acceptApprovals(status: PromotionStatus): () => ReceivedDecision | undefined {
  let decision: ReceivedDecision | undefined;
  setHandler(promotionStatusQuery, () => status);
  const admit = (payload: unknown) => admitDecision(payload, { stage: status.stage, decision });
  const take = (admitted: ApprovalDecision) => {
    decision = { ...admitted, receivedAt: new Date().toISOString() };
    status.decision = decision;
    return decision;
  };
  setHandler(approvePromotionSignal, (payload: unknown) => {
    const admitted = admit(payload);
    if (!admitted.ok) return rememberInvalid(status, { receivedAt: new Date().toISOString(), reason: admitted.reason });
    take(admitted.decision);
  });
  setHandler(
    approvePromotionUpdate,
    async (payload) => {
      const admitted = admit(payload);
      // The validator ran just before, in the same activation; this only guards the handler's own invariant.
      if (!admitted.ok) throw ApplicationFailure.nonRetryable(admitted.reason, 'ApprovalRefused');
      const taken = take(admitted.decision);
      // The main path leaves awaiting_approval in this same workflow task (to promoting or rejected).
      await condition(() => status.stage !== 'awaiting_approval');
      return { ...taken, stage: status.stage };
    },
    {
      // Reads state, never changes it: a refusal is not written to history and answers the caller at once.
      validator: (payload) => {
        const admitted = admit(payload);
        if (!admitted.ok) throw ApplicationFailure.nonRetryable(admitted.reason, 'ApprovalRefused');
      },
    },
  );
  return () => decision;
}

function rememberInvalid(status: PromotionStatus, signal: InvalidSignal): void {
  // Bounded, so a flood of bad signals cannot grow the workflow's state without limit.
  status.invalidSignals = [...status.invalidSignals, signal].slice(-20);
}

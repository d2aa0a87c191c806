import { z } from 'zod';

import { AppError } from '../errors';

/**
 * The human side of the model lifecycle, shared by the training workflow, the CLI and the API: the payload
 * of `approvePromotion` (an update and a signal), the rules that admit a decision, and the stages a
 * training pipeline goes through.
 */

/** What a person sends to decide on a registered challenger. */
export const approvalDecision = z
  .object({
    approver: z.string().trim().min(1, 'approver must name a person').max(200),
    decision: z.enum(['approve', 'reject']),
    comment: z.string().max(2000).optional(),
  })
  .strict();
export type ApprovalDecision = z.infer<typeof approvalDecision>;

export type ParsedApproval = { ok: true; decision: ApprovalDecision } | { ok: false; reason: string };

/** Validates a signal payload without throwing: a bad payload is recorded and ignored, never fatal. */
export function parseApproval(payload: unknown): ParsedApproval {
  const parsed = approvalDecision.safeParse(payload);
  if (parsed.success) return { ok: true, decision: parsed.data };
  return {
    ok: false,
    reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; '),
  };
}

/** Where a run stands when a decision arrives: its stage and the decision it already took, if any. */
export interface DecisionPoint {
  stage: PipelineStage;
  decision?: Pick<ApprovalDecision, 'approver' | 'decision'>;
}

/**
 * The one rule set of approvals, applied by the update's validator (a refusal answers the caller at once),
 * by the signal handler (a refusal is recorded in `promotionStatus.invalidSignals`) and by the API for a
 * run that has already closed: the payload must be valid, the run must await approval, and only the first
 * decision counts.
 */
export function admitDecision(payload: unknown, run: DecisionPoint): ParsedApproval {
  const parsed = parseApproval(payload);
  if (!parsed.ok) return parsed;
  const { decision, approver } = parsed.decision;
  if (run.decision) {
    return {
      ok: false,
      reason: `${decision} from ${approver} refused: already decided (${run.decision.decision} by ${run.decision.approver})`,
    };
  }
  if (run.stage !== 'awaiting_approval') {
    return { ok: false, reason: `${decision} from ${approver} refused: stage is ${run.stage}, not awaiting_approval` };
  }
  return parsed;
}

export const pipelineStages = [
  'extracting',
  'validating',
  'training',
  'evaluating',
  'registering',
  'awaiting_approval',
  'promoting',
  'deploying',
  'promoted',
  'rejected',
  'expired',
  'rejected_by_evaluation',
] as const;
export type PipelineStage = (typeof pipelineStages)[number];

/** Final decisions as the audit table names them. */
export type PromotionDecision = 'approved' | 'rejected' | 'expired' | 'rejected_by_evaluation' | 'rolled_back';

/** The registered-model name of a model kind: one name per task, so each has its own champion. */
export function modelNameFor(kind: 'instant' | 'forecast', horizonHours: number): string {
  return kind === 'instant' ? 'aqi-eaqi-instant' : `aqi-eaqi-forecast-${horizonHours}h`;
}

/** MLflow aliases of the lifecycle (stages are deprecated in MLflow). */
export const modelAliases = { challenger: 'challenger', champion: 'champion', previous: 'previous' } as const;

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration such as `72h`, `30m`, `10s`, `1500ms` or `2d` (PROMOTION_APPROVAL_TIMEOUT). */
export function durationMs(duration: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(duration);
  if (!match) throw new AppError('INVALID_DURATION', `"${duration}" is not a duration such as 72h, 30m or 10s`);
  return Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
}

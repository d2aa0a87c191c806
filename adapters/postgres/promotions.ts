import type pg from 'pg';

import type { PromotionDecision } from '../../core/training/promotion';

export interface PromotionRecord {
  modelName: string;
  /** Absent when evaluation rejected the candidate before registration. */
  modelVersion?: string;
  decision: PromotionDecision;
  approver?: string;
  comment?: string;
  previousVersion?: string;
  workflowId: string;
  requestedAt?: string;
  decidedAt: string;
  details?: Record<string, unknown>;
}

/**
 * Appends a decision to `model_promotions`. A retried activity records nothing twice: one row per
 * (workflow run, decision). Returns the row id, the existing one on a retry.
 */
export async function recordPromotion(pool: pg.Pool, record: PromotionRecord): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH inserted AS (
       INSERT INTO model_promotions
         (model_name, model_version, decision, approver, comment, previous_version, workflow_id, requested_at,
          decided_at, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (workflow_id, decision) DO NOTHING
       RETURNING id)
     SELECT id FROM inserted
     UNION ALL
     SELECT id FROM model_promotions WHERE workflow_id = $7 AND decision = $3
     LIMIT 1`,
    [
      record.modelName,
      record.modelVersion ?? null,
      record.decision,
      record.approver ?? null,
      record.comment ?? null,
      record.previousVersion ?? null,
      record.workflowId,
      record.requestedAt ?? null,
      record.decidedAt,
      JSON.stringify(record.details ?? {}),
    ],
  );
  return Number(rows[0]?.id);
}

export interface StoredPromotion extends PromotionRecord {
  id: number;
  recordedAt: string;
}

/** The latest decisions, newest first, optionally for one model. */
export async function listPromotions(
  pool: pg.Pool,
  options: { modelName?: string; limit?: number } = {},
): Promise<StoredPromotion[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM model_promotions WHERE ($1::text IS NULL OR model_name = $1)
     ORDER BY decided_at DESC, id DESC LIMIT $2`,
    [options.modelName ?? null, options.limit ?? 50],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    modelName: String(r.model_name),
    ...(r.model_version === null ? {} : { modelVersion: String(r.model_version) }),
    decision: r.decision as PromotionDecision,
    ...(r.approver === null ? {} : { approver: String(r.approver) }),
    ...(r.comment === null ? {} : { comment: String(r.comment) }),
    ...(r.previous_version === null ? {} : { previousVersion: String(r.previous_version) }),
    workflowId: String(r.workflow_id),
    ...(r.requested_at === null ? {} : { requestedAt: (r.requested_at as Date).toISOString() }),
    decidedAt: (r.decided_at as Date).toISOString(),
    recordedAt: (r.recorded_at as Date).toISOString(),
    details: r.details as Record<string, unknown>,
  }));
}

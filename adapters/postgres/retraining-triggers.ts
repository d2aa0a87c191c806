import type pg from 'pg';

import type { RetrainEvidence } from '../../core/monitoring/retraining/evidence';

import { withTransaction } from './transaction';

/** A trigger as the ledger records it (migration 0017). */
export interface RetrainClaimInput {
  triggerWorkflowId: string;
  modelName: string;
  modelVersion: string;
  evidence: RetrainEvidence;
  /** The run this trigger would start, derived from it (core/monitoring/retraining/request.ts). */
  trainingWorkflowId: string;
  /** The trigger's clock (ISO instant) and the cooldown measured from a started claim. */
  at: string;
  cooldownMs: number;
}

export interface RetrainClaim {
  /** `started`: this trigger claimed a new run; `joined`: a run started within the cooldown is the answer. */
  outcome: 'started' | 'joined';
  trainingWorkflowId: string;
  /** When the started claim was made, and when its cooldown ends. */
  claimedAt: string;
  cooldownUntil: string;
}

const iso = (d: Date) => d.toISOString();

/**
 * Claims the retrain of a model for a trigger, serialised per model by an advisory lock: the trigger's own
 * earlier claim (an activity retried) is returned as it was; a run started for the model within the
 * cooldown is joined (the trigger is recorded, pointing at it); otherwise this trigger starts one.
 */
export async function claimRetraining(pool: pg.Pool, input: RetrainClaimInput): Promise<RetrainClaim> {
  return withTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`aqi-retrain:${input.modelName}`]);
    const started = (where: string, values: unknown[]) =>
      db.query<{ outcome: 'started' | 'joined'; training_workflow_id: string; started_at: Date }>(
        `SELECT t.outcome, t.training_workflow_id,
                (SELECT s.claimed_at FROM retraining_triggers s
                  WHERE s.training_workflow_id = t.training_workflow_id AND s.outcome = 'started'
                  ORDER BY s.claimed_at LIMIT 1) AS started_at
           FROM retraining_triggers t WHERE ${where} ORDER BY t.claimed_at DESC LIMIT 1`,
        values,
      );
    const answer = (outcome: 'started' | 'joined', workflowId: string, startedAt: Date): RetrainClaim => ({
      outcome,
      trainingWorkflowId: workflowId,
      claimedAt: iso(startedAt),
      cooldownUntil: iso(new Date(startedAt.getTime() + input.cooldownMs)),
    });

    const [mine] = (await started('t.trigger_workflow_id = $1', [input.triggerWorkflowId])).rows;
    if (mine) return answer(mine.outcome, mine.training_workflow_id, mine.started_at);

    const [recent] = (
      await started(
        `t.model_name = $1 AND t.outcome = 'started' AND t.claimed_at > $2::timestamptz - make_interval(secs => $3)`,
        [input.modelName, input.at, input.cooldownMs / 1000],
      )
    ).rows;
    const outcome = recent ? 'joined' : 'started';
    const workflowId = recent?.training_workflow_id ?? input.trainingWorkflowId;
    const { rows } = await db.query<{ claimed_at: Date }>(
      `INSERT INTO retraining_triggers
         (trigger_workflow_id, model_name, model_version, reason, outcome, training_workflow_id, report_id, evidence,
          claimed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING claimed_at`,
      [
        input.triggerWorkflowId,
        input.modelName,
        input.modelVersion,
        input.evidence.reason,
        outcome,
        workflowId,
        input.evidence.reportId ?? null,
        JSON.stringify(input.evidence),
        input.at,
      ],
    );
    return answer(outcome, workflowId, recent?.started_at ?? rows[0]?.claimed_at ?? new Date(input.at));
  });
}

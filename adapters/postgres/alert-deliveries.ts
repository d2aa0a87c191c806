import type { AlertDelivery } from '../../activities/repositories';

import type { Pool } from './pool';

/** The targets this alert was already delivered to (given-up ones are tried again on a repeat). */
export async function deliveredTargets(pool: Pool, alertKey: string): Promise<string[]> {
  const { rows } = await pool.query<{ target_id: string }>(
    `SELECT target_id FROM alert_deliveries WHERE alert_key = $1 AND outcome = 'delivered'`,
    [alertKey],
  );
  return rows.map((r) => r.target_id);
}

/** Records what happened to one alert at one target; a later outcome for the pair replaces the earlier. */
export async function recordAlertDelivery(pool: Pool, delivery: AlertDelivery): Promise<void> {
  await pool.query(
    `INSERT INTO alert_deliveries (alert_key, target_id, kind, title, outcome, attempts, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (alert_key, target_id) DO UPDATE
       SET outcome = EXCLUDED.outcome, attempts = EXCLUDED.attempts, reason = EXCLUDED.reason, recorded_at = now()`,
    [
      delivery.alertKey,
      delivery.targetId,
      delivery.kind,
      delivery.title,
      delivery.outcome,
      delivery.attempts,
      delivery.reason ?? null,
    ],
  );
}

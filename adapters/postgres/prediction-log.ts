import type pg from 'pg';

import { withHoldout, type LiveAccuracy, type PredictionTally } from '../../core/monitoring/accuracy/live-accuracy';
import type { LoggedPrediction } from '../../core/monitoring/accuracy/predictions';

/**
 * The prediction log (migration 0016): predictions for real hours, their actuals once stored, and the
 * holdout MAE of each model version beside them.
 */

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/** Appends predictions; one already logged (same version, location, origin and horizon) is left as it was. */
export async function logPredictions(
  pool: pg.Pool,
  predictions: readonly LoggedPrediction[],
  source: 'api' | 'scoring',
): Promise<number> {
  if (predictions.length === 0) return 0;
  const { rowCount } = await pool.query(
    `INSERT INTO prediction_log
       (model_name, model_version, horizon_hours, location_id, origin_hour, target_hour, predicted, source)
     SELECT p.*, $8::text FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[],
                                     $6::timestamptz[], $7::float8[]) AS p
     ON CONFLICT (model_name, model_version, location_id, origin_hour, horizon_hours) DO NOTHING`,
    [
      predictions.map((p) => p.modelName),
      predictions.map((p) => p.modelVersion),
      predictions.map((p) => p.horizonHours),
      predictions.map((p) => p.locationId),
      predictions.map((p) => p.originHour),
      predictions.map((p) => p.targetHour),
      predictions.map((p) => p.predicted),
      source,
    ],
  );
  return rowCount ?? 0;
}

/**
 * Gives every waiting prediction whose target hour is now stored its actual (the source's reported European
 * AQI of that hour, the training target); returns how many were resolved.
 */
export async function resolveActuals(pool: pg.Pool): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE prediction_log p SET actual = r.reported_european_aqi, resolved_at = now()
       FROM readings r
      WHERE p.actual IS NULL AND r.location_id = p.location_id AND r.observed_at = p.target_hour
        AND r.reported_european_aqi IS NOT NULL`,
  );
  return rowCount ?? 0;
}

interface TallyRow {
  model_name: string;
  model_version: string;
  horizon_hours: number;
  window_from: Date;
  window_to: Date;
  resolved: string;
  hours: string;
  pending: string;
  mae: number | null;
}

/**
 * Per model version and horizon, the predictions of a window of target hours: with `to`, the `hours` before
 * it; without, the `hours` up to the newest resolved target hour of that version (a rolling window).
 */
export async function tallyPredictions(
  pool: pg.Pool,
  options: { modelName?: string; modelVersion?: string; hours: number; to?: string },
): Promise<PredictionTally[]> {
  const { rows } = await pool.query<TallyRow>(
    `WITH ends AS (
       SELECT model_name, model_version, horizon_hours,
              coalesce($4::timestamptz, max(target_hour) FILTER (WHERE actual IS NOT NULL) + interval '1 hour',
                       max(target_hour) + interval '1 hour') AS window_to
         FROM prediction_log
        WHERE ($1::text IS NULL OR model_name = $1) AND ($2::text IS NULL OR model_version = $2)
        GROUP BY model_name, model_version, horizon_hours
     )
     SELECT e.model_name, e.model_version, e.horizon_hours,
            e.window_to - make_interval(hours => $3) AS window_from, e.window_to,
            count(p.actual) AS resolved,
            count(DISTINCT p.target_hour) FILTER (WHERE p.actual IS NOT NULL) AS hours,
            count(*) FILTER (WHERE p.id IS NOT NULL AND p.actual IS NULL) AS pending,
            avg(abs(p.predicted - p.actual)) AS mae
       FROM ends e
       LEFT JOIN prediction_log p
         ON p.model_name = e.model_name AND p.model_version = e.model_version AND p.horizon_hours = e.horizon_hours
        AND p.target_hour >= e.window_to - make_interval(hours => $3) AND p.target_hour < e.window_to
      GROUP BY e.model_name, e.model_version, e.horizon_hours, e.window_to
      ORDER BY e.model_name, e.horizon_hours, e.model_version`,
    [options.modelName ?? null, options.modelVersion ?? null, options.hours, options.to ?? null],
  );
  return rows.map((r) => ({
    modelName: r.model_name,
    modelVersion: r.model_version,
    horizonHours: r.horizon_hours,
    from: iso(r.window_from),
    to: iso(r.window_to),
    resolved: Number(r.resolved),
    hours: Number(r.hours),
    pending: Number(r.pending),
    ...(r.mae === null ? {} : { mae: r.mae }),
  }));
}

export interface ModelHoldout {
  modelName: string;
  modelVersion: string;
  runId: string;
  holdoutMae: number;
  holdoutRows?: number;
}

/** Keeps a version's holdout MAE (read from its training run); the same again changes nothing. */
export async function recordHoldout(pool: pg.Pool, holdout: ModelHoldout): Promise<void> {
  await pool.query(
    `INSERT INTO model_holdouts (model_name, model_version, run_id, holdout_mae, holdout_rows)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (model_name, model_version) DO UPDATE
       SET run_id = EXCLUDED.run_id, holdout_mae = EXCLUDED.holdout_mae, holdout_rows = coalesce(EXCLUDED.holdout_rows, model_holdouts.holdout_rows),
           recorded_at = now()
       WHERE (model_holdouts.run_id, model_holdouts.holdout_mae, model_holdouts.holdout_rows)
             IS DISTINCT FROM
             (EXCLUDED.run_id, EXCLUDED.holdout_mae, coalesce(EXCLUDED.holdout_rows, model_holdouts.holdout_rows))`,
    [holdout.modelName, holdout.modelVersion, holdout.runId, holdout.holdoutMae, holdout.holdoutRows ?? null],
  );
}

/** The holdout MAE of each version asked for that has one, keyed `name@version`. */
export async function holdoutMaes(pool: pg.Pool, modelNames?: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ model_name: string; model_version: string; holdout_mae: number }>(
    `SELECT model_name, model_version, holdout_mae FROM model_holdouts
      WHERE $1::text[] IS NULL OR model_name = ANY($1)`,
    [modelNames ?? null],
  );
  return new Map(rows.map((r) => [holdoutKey(r.model_name, r.model_version), r.holdout_mae]));
}

export const holdoutKey = (modelName: string, modelVersion: string) => `${modelName}@${modelVersion}`;

/** Rolling live accuracy with each version's holdout MAE beside it: what GET /monitoring/accuracy and /metrics show. */
export async function liveAccuracy(
  pool: pg.Pool,
  options: Parameters<typeof tallyPredictions>[1],
): Promise<LiveAccuracy[]> {
  const tallies = await tallyPredictions(pool, options);
  const holdouts = await holdoutMaes(pool, [...new Set(tallies.map((t) => t.modelName))]);
  return tallies.map((t) => withHoldout(t, holdouts.get(holdoutKey(t.modelName, t.modelVersion))));
}

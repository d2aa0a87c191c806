import type pg from 'pg';

import type { PoorAirHour } from '../../core/alerts/air-quality-alerts';

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/**
 * The hours of a window whose European AQI is above `above`: stored readings (the higher of the European
 * methods stored for the hour) and the champions' forecasts made from the window's hours (the prediction
 * log's scoring rows with a horizon), each forecast at its target hour.
 */
export async function findPoorAirHours(
  pool: pg.Pool,
  input: { locationIds: readonly string[]; from: string; to: string; above: number },
): Promise<PoorAirHour[]> {
  const params = [input.locationIds, input.from, input.to, input.above];
  const observed = await pool.query<{ location_id: string; observed_at: Date; value: number }>(
    `SELECT location_id, observed_at, max(value) AS value
       FROM reading_indices
      WHERE location_id = ANY($1::text[]) AND observed_at BETWEEN $2 AND $3 AND method LIKE 'eaqi-%' AND value > $4
      GROUP BY location_id, observed_at`,
    params,
  );
  const forecasts = await pool.query<{
    location_id: string;
    target_hour: Date;
    predicted: number;
    model_name: string;
    model_version: string;
    horizon_hours: number;
  }>(
    `SELECT location_id, target_hour, predicted, model_name, model_version, horizon_hours
       FROM prediction_log
      WHERE location_id = ANY($1::text[]) AND origin_hour BETWEEN $2 AND $3 AND horizon_hours > 0
        AND source = 'scoring' AND predicted > $4`,
    params,
  );
  return [
    ...observed.rows.map((r): PoorAirHour => ({
      locationId: r.location_id,
      kind: 'observed',
      hour: iso(r.observed_at),
      europeanAqi: r.value,
    })),
    ...forecasts.rows.map((r): PoorAirHour => ({
      locationId: r.location_id,
      kind: 'forecast',
      hour: iso(r.target_hour),
      europeanAqi: r.predicted,
      model: { name: r.model_name, version: r.model_version, horizonHours: r.horizon_hours },
    })),
  ];
}

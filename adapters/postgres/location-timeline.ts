import type pg from 'pg';

import type { MeasuredVariable } from '../../core/air-quality/reading';

/** The index the timeline shows: the platform's own, by the method that reproduces Open-Meteo's figures. */
export const timelineMethod = 'eaqi-open-meteo-pre-2026-08';

/** Stored hours of one location as columns: small on the wire for a year of hours (8,784 rows). */
export interface LocationTimeline {
  /** Each stored hour, in Unix seconds, oldest first. */
  hours: number[];
  /** The platform's European AQI at each hour (null when it could not be computed). */
  european_aqi: (number | null)[];
  /** The European AQI Open-Meteo reported at each hour (null when it reported none). */
  reported_european_aqi: (number | null)[];
  /** The asked pollutants' concentrations, µg/m³, same order. */
  pollutants: Partial<Record<MeasuredVariable, (number | null)[]>>;
}

/** Two decimals: the stored doubles' float noise would double the bytes and say nothing more. */
const rounded = (value: unknown): number | null => (value === null ? null : Math.round(Number(value) * 100) / 100);

/** The stored readings of a location over [from, to), with its index and the asked pollutants. */
export async function loadLocationTimeline(
  pool: pg.Pool,
  locationId: string,
  window: { from: string; to: string },
  pollutants: readonly MeasuredVariable[],
): Promise<LocationTimeline> {
  // Column names come from the closed list of measured variables (validated by the route), never from text.
  const columns = pollutants.map((p) => `, r.${p}`).join('');
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT extract(epoch FROM r.observed_at)::bigint AS hour, i.value AS european_aqi,
            r.reported_european_aqi${columns}
     FROM readings r
     LEFT JOIN reading_indices i
       ON i.location_id = r.location_id AND i.observed_at = r.observed_at AND i.method = $4
     WHERE r.location_id = $1 AND r.observed_at >= $2 AND r.observed_at < $3
     ORDER BY r.observed_at`,
    [locationId, window.from, window.to, timelineMethod],
  );
  return {
    hours: rows.map((r) => Number(r.hour)),
    european_aqi: rows.map((r) => rounded(r.european_aqi)),
    reported_european_aqi: rows.map((r) => rounded(r.reported_european_aqi)),
    pollutants: Object.fromEntries(pollutants.map((p) => [p, rows.map((r) => rounded(r[p]))])),
  };
}

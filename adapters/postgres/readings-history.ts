import type pg from 'pg';

import {
  formatObservedAt,
  measuredVariables,
  type MeasuredVariable,
  type Reading,
} from '../../core/air-quality/reading';

const hourMs = 3600_000;

type HistoryRow = Record<MeasuredVariable | 'reported_european_aqi' | 'reported_us_aqi', number | null> & {
  observed_at: Date;
  latitude: number;
  longitude: number;
};

const columns = [...measuredVariables, 'reported_european_aqi', 'reported_us_aqi'].map((c) => `r.${c}`).join(', ');

/**
 * The stored readings of one location from `hours` hours before `hour` up to `until` (exclusive; `hour`
 * itself by default), oldest first: the past that the 24-hour windows of the indices need to value a newly
 * arrived hour. `until` lets a caller holding several new hours also get the stored hours between them.
 *
 * Readings come back with the location's coordinates (a row does not keep the source's grid cell) and
 * without the variables stored as NULL: for the index functions a missing value and an absent one are alike.
 */
export async function loadReadingHistory(
  pool: pg.Pool,
  locationId: string,
  hour: string,
  options: { hours?: number; until?: string } = {},
): Promise<Reading[]> {
  const from = new Date(Date.parse(hour) - (options.hours ?? 24) * hourMs);
  const until = new Date(options.until ?? hour);
  const { rows } = await pool.query<HistoryRow>(
    `SELECT r.observed_at, l.latitude, l.longitude, ${columns}
     FROM readings r JOIN locations l ON l.id = r.location_id
     WHERE r.location_id = $1 AND r.observed_at >= $2 AND r.observed_at < $3
     ORDER BY r.observed_at`,
    [locationId, from, until],
  );
  return rows.map(toReading);
}

function toReading(row: HistoryRow): Reading {
  const values: Reading['values'] = {};
  for (const v of measuredVariables) {
    const value = row[v];
    if (value !== null) values[v] = value;
  }
  const reported: Reading['reported'] = {};
  if (row.reported_european_aqi !== null) reported.european_aqi = row.reported_european_aqi;
  if (row.reported_us_aqi !== null) reported.us_aqi = row.reported_us_aqi;
  return {
    latitude: row.latitude,
    longitude: row.longitude,
    // The hour format of toHourlySeries, so indicesForPlace finds each reading in its series.
    observedAt: formatObservedAt(row.observed_at),
    values,
    reported,
  };
}

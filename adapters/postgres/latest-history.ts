import type pg from 'pg';

import {
  formatObservedAt,
  measuredVariables,
  type MeasuredVariable,
  type Reading,
} from '../../core/air-quality/reading';
import { AppError } from '../../core/errors';

import { loadReadingHistory } from './readings-history';

/**
 * The stored readings of a location up to and including hour `at` (by default its latest stored hour) and
 * the `hours` before it, oldest first: what a forecast made at `at` can see. Undefined when nothing is
 * stored at or before `at`.
 */
export async function loadHistoryAt(
  pool: pg.Pool,
  locationId: string,
  hours: number,
  at?: string,
): Promise<{ at: string; readings: Reading[] } | undefined> {
  const { rows } = await pool.query<{ latest: Date | null }>(
    'SELECT max(observed_at) AS latest FROM readings WHERE location_id = $1 AND ($2::timestamptz IS NULL OR observed_at <= $2)',
    [locationId, at ?? null],
  );
  const latest = rows[0]?.latest;
  if (!latest) return undefined;
  const until = new Date(latest.getTime() + 3600_000).toISOString();
  const readings = await loadReadingHistory(pool, locationId, until, { hours: hours + 1 });
  const last = readings.at(-1);
  return last ? { at: last.observedAt, readings } : undefined;
}

/** The newest stored hour of a location, undefined when none is stored. */
export async function latestStoredHour(pool: pg.Pool, locationId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ latest: Date | null }>(
    'SELECT max(observed_at) AS latest FROM readings WHERE location_id = $1',
    [locationId],
  );
  const latest = rows[0]?.latest;
  return latest ? formatObservedAt(latest) : undefined;
}

/**
 * The newest stored hour `t` of a location such that every hour of `t - need.hours` .. `t` is stored with
 * each of `need.variables`: the latest hour a forecast's history window is complete. Rows are walked newest
 * first and the walk stops at the first such hour: with one row per hour, `t` qualifies exactly when the row
 * `need.hours` rows older is `need.hours` hours older, so a gap of months costs the rows after it, not a scan.
 */
export async function latestHourWithHistory(
  pool: pg.Pool,
  locationId: string,
  need: { hours: number; variables: readonly MeasuredVariable[] },
): Promise<string | undefined> {
  if (!Number.isInteger(need.hours) || need.hours < 0) {
    throw new AppError('INVALID_HISTORY_NEED', `history of ${need.hours} hours is not a whole number of hours`);
  }
  const unknown = need.variables.filter((v) => !measuredVariables.includes(v));
  if (unknown.length > 0) throw new AppError('INVALID_HISTORY_NEED', `not stored variables: ${unknown.join(', ')}`);
  // Column names come from the fixed list above, never from a caller's string.
  const present = need.variables.map((v) => ` AND ${v} IS NOT NULL`).join('');
  const { rows } = await pool.query<{ observed_at: Date }>(
    `SELECT observed_at FROM (
       SELECT observed_at, lead(observed_at, $2) OVER (ORDER BY observed_at DESC) AS window_start
       FROM readings
       WHERE location_id = $1${present}
     ) w
     WHERE window_start = observed_at - make_interval(hours => $2)
     ORDER BY observed_at DESC
     LIMIT 1`,
    [locationId, need.hours],
  );
  const found = rows[0]?.observed_at;
  return found ? formatObservedAt(found) : undefined;
}

/** The stored history a forecast reads, as one dependency (so the route can be tested without PostgreSQL). */
export interface ForecastHistory {
  historyAt(locationId: string, hours: number, at?: string): Promise<{ at: string; readings: Reading[] } | undefined>;
  latestStoredHour(locationId: string): Promise<string | undefined>;
  latestHourWithHistory(
    locationId: string,
    need: { hours: number; variables: readonly MeasuredVariable[] },
  ): Promise<string | undefined>;
}

export function createForecastHistory(pool: pg.Pool): ForecastHistory {
  return {
    historyAt: (locationId, hours, at) => loadHistoryAt(pool, locationId, hours, at),
    latestStoredHour: (locationId) => latestStoredHour(pool, locationId),
    latestHourWithHistory: (locationId, need) => latestHourWithHistory(pool, locationId, need),
  };
}

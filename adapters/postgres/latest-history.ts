import type pg from 'pg';

import type { Reading } from '../../core/air-quality/reading';

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

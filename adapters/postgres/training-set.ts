import type pg from 'pg';

import type { Reading } from '../../core/air-quality/reading';

import { loadReadingHistory } from './readings-history';

/**
 * The stored readings of each location over [from, to), oldest first, with the source's reported indices
 * (the training target): what a training pipeline snapshots. Locations without readings come back empty.
 */
export async function loadTrainingReadings(
  pool: pg.Pool,
  locationIds: readonly string[],
  from: string,
  to: string,
): Promise<{ locationId: string; readings: Reading[] }[]> {
  const series: { locationId: string; readings: Reading[] }[] = [];
  for (const locationId of locationIds) {
    series.push({ locationId, readings: await loadReadingHistory(pool, locationId, from, { hours: 0, until: to }) });
  }
  return series;
}

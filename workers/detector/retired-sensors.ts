import type pg from 'pg';

import { listSensors } from '../../adapters/postgres/sensors';

/** The retired sensors' ids, read at most every `ttlMs`, so a retire takes effect within that time. */
export function createRetiredSensors(pool: pg.Pool, ttlMs = 10_000) {
  let cached: { at: number; ids: Set<string> } | undefined;
  return {
    async ids(): Promise<Set<string>> {
      if (cached && Date.now() - cached.at < ttlMs) return cached.ids;
      const ids = new Set((await listSensors(pool, { status: 'retired' })).map((s) => s.id));
      cached = { at: Date.now(), ids };
      return ids;
    },
  };
}

import type pg from 'pg';

import { listLocations } from '../../adapters/postgres/locations';

/** Whether a location id is in the `locations` table, answered from memory. */
export interface KnownLocations {
  has(locationId: string): Promise<boolean>;
  /** Drops the cache, e.g. when the database refused a location the cache still knew. */
  forget(): void;
}

/**
 * The ids of the `locations` table, read once and kept. An id the cache does not know triggers a re-read
 * (a location may have been added since), at most once per `refreshMs`, so a stream of bad ids does not
 * turn into a query per message. A database error propagates: it is not a reason to reject a message.
 */
export function createKnownLocations(pool: pg.Pool, refreshMs = 30_000): KnownLocations {
  let ids: Set<string> | null = null;
  let readAt = 0;
  return {
    async has(locationId) {
      if (ids?.has(locationId)) return true;
      if (ids === null || Date.now() - readAt >= refreshMs) {
        ids = new Set((await listLocations(pool)).map((l) => l.id));
        readAt = Date.now();
      }
      return ids.has(locationId);
    },
    forget() {
      ids = null;
    },
  };
}

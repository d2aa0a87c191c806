import type pg from 'pg';

import { storeReadings } from '../../adapters/postgres/readings-store';

import type { IndexedMessage } from './transform';

/**
 * Stores indexed messages with one `storeReadings` call per (source, runId), since a stored row keeps the
 * run that produced it. Each call is its own transaction: if a later one fails, the earlier ones are simply
 * written again, unchanged, when the chunk is retried. Returns how many readings are now stored as sent.
 */
export async function storeIndexed(pool: pg.Pool, indexed: readonly IndexedMessage[]): Promise<number> {
  const byRun = new Map<string, IndexedMessage[]>();
  for (const item of indexed) {
    const run = JSON.stringify([item.message.source, item.message.runId]);
    const items = byRun.get(run) ?? [];
    items.push(item);
    byRun.set(run, items);
  }
  let stored = 0;
  for (const items of byRun.values()) {
    const { source, runId } = (items[0] as IndexedMessage).message;
    const rows = items.map(({ message, indices }) => ({
      locationId: message.locationId,
      reading: message.reading,
      indices,
    }));
    const result = await storeReadings(pool, rows, { source, runId });
    stored += result.written + result.unchanged;
  }
  return stored;
}

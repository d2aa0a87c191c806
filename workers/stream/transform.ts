import { indicesForPlace, type IndexRecord } from '../../core/air-quality/indices';
import type { RawReadingMessage } from '../../core/air-quality/messages';
import type { Reading } from '../../core/air-quality/reading';

/** Stored readings of a location from 24 h before `earliest` up to `until` (exclusive). */
export type HistoryLoader = (locationId: string, earliest: string, until: string) => Promise<Reading[]>;

export interface IndexedMessage {
  message: RawReadingMessage;
  indices: IndexRecord[];
}

/**
 * The indices of newly arrived hours, computed by `indicesForPlace` exactly as the batch path does: over
 * each location's stored past plus the new hours, so the 24-hour windows see what came before. When one
 * chunk holds the same (location, hour) twice, the later message wins, as it does in `storeReadings`.
 * Messages must already be decoded (hours on the hour, in canonical form).
 */
export async function indexNewReadings(
  messages: readonly RawReadingMessage[],
  loadHistory: HistoryLoader,
): Promise<IndexedMessage[]> {
  const byLocation = new Map<string, Map<string, RawReadingMessage>>();
  for (const message of messages) {
    const hours = byLocation.get(message.locationId) ?? new Map<string, RawReadingMessage>();
    hours.set(message.reading.observedAt, message);
    byLocation.set(message.locationId, hours);
  }

  const indexed: IndexedMessage[] = [];
  for (const [locationId, byHour] of byLocation) {
    const fresh = [...byHour.values()];
    const times = fresh.map((m) => Date.parse(m.reading.observedAt));
    const earliest = new Date(times.reduce((a, b) => Math.min(a, b))).toISOString();
    const latest = new Date(times.reduce((a, b) => Math.max(a, b))).toISOString();
    // A redelivered or late hour may already be stored: the new message replaces it.
    const history = (await loadHistory(locationId, earliest, latest)).filter((r) => !byHour.has(r.observedAt));
    const indices = indicesForPlace([...history, ...fresh.map((m) => m.reading)]);
    fresh.forEach((message, i) => indexed.push({ message, indices: indices[history.length + i] ?? [] }));
  }
  return indexed;
}

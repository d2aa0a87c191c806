import { formatObservedAt } from '../air-quality/reading';

/**
 * How a backfill is cut into chunks: one location × one calendar month (UTC), clipped to the range. A
 * month is small enough to retry cheaply (744 rows) and large enough that a year of three cities is 36
 * activities, not thousands.
 */
export interface HistoryChunk {
  locationId: string;
  /** First hour, inclusive, `YYYY-MM-DDTHH:00:00Z`. */
  from: string;
  /** Last hour, inclusive. */
  to: string;
}

const hourMs = 3600_000;

export const toHourString = (ms: number): string => formatObservedAt(ms);

/** Parses an ISO instant that must fall on a whole UTC hour. */
export function parseHour(value: string, name: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms % hourMs !== 0) throw new RangeError(`${name} must be a whole UTC hour, got "${value}"`);
  return ms;
}

export function planHistoryChunks(locationIds: readonly string[], from: string, to: string): HistoryChunk[] {
  const start = parseHour(from, 'from');
  const end = parseHour(to, 'to');
  if (end < start) throw new RangeError(`to (${to}) is before from (${from})`);
  const chunks: HistoryChunk[] = [];
  for (let monthStart = start; monthStart <= end;) {
    const d = new Date(monthStart);
    const nextMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const chunkEnd = Math.min(nextMonth - hourMs, end);
    for (const locationId of [...locationIds].sort()) {
      chunks.push({ locationId, from: toHourString(monthStart), to: toHourString(chunkEnd) });
    }
    monthStart = nextMonth;
  }
  return chunks;
}

export function hoursIn(chunk: { from: string; to: string }): number {
  return (Date.parse(chunk.to) - Date.parse(chunk.from)) / hourMs + 1;
}

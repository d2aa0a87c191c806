import { AppError } from '../errors';

import type { HourlySeries } from './interpolate';
import { formatObservedAt, measuredVariables, type Reading } from './reading';

const hourMs = 3600_000;

/**
 * Turns one place's readings into an hour-by-hour series, the shape the index functions need. Missing
 * hours become nulls, so a gap can never slide a 24-hour window over the wrong hours.
 */
export function toHourlySeries(readings: readonly Reading[]): HourlySeries {
  if (readings.length === 0) return { observedAt: [], values: {} };
  const byHour = new Map<number, Reading>();
  for (const r of readings) {
    const t = Date.parse(r.observedAt);
    if (t % hourMs !== 0) throw new AppError('NOT_HOURLY', `${r.observedAt} is not on the hour`);
    if (byHour.has(t)) throw new AppError('DUPLICATE_HOUR', `${r.observedAt} appears twice in one series`);
    byHour.set(t, r);
  }
  const first = Math.min(...byHour.keys());
  const last = Math.max(...byHour.keys());
  const hours = Array.from({ length: (last - first) / hourMs + 1 }, (_, i) => first + i * hourMs);
  const present = measuredVariables.filter((v) => readings.some((r) => v in r.values));
  return {
    observedAt: hours.map(formatObservedAt),
    values: Object.fromEntries(present.map((v) => [v, hours.map((t) => byHour.get(t)?.values[v] ?? null)])),
  };
}

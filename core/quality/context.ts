import { formatObservedAt, type MeasuredVariable } from '../air-quality/reading';
import { AppError } from '../errors';

import { resolveQualityThresholds, type QualityThresholds } from './thresholds';

/** One stored hour at one location, as the quality checks see it (a `readings` row plus its index). */
export interface QualityRow {
  locationId: string;
  /** Start of the hour, ISO 8601 in UTC. */
  observedAt: string;
  values: Partial<Record<MeasuredVariable, number | null>>;
  reportedEuropeanAqi?: number | null;
  /** The platform's own EAQI by the pre-2026 method, when it could be computed for this hour. */
  computedEuropeanAqi?: number | null;
}

export interface QualityInput {
  /** The hours under test, [start, end), on UTC hour boundaries. */
  window: { start: string; end: string };
  /** The clock of the caller (a workflow passes its deterministic time), never read here. */
  now: string;
  /** The locations expected to have a row for every hour. */
  locationIds: string[];
  rows: QualityRow[];
  thresholds?: Partial<QualityThresholds>;
}

export const hourMs = 3_600_000;

/** A row with its parsed hour, so checks compare numbers rather than differently written ISO strings. */
export interface TimedRow {
  hour: number;
  row: QualityRow;
}

/** What every check reads: the input, its times as epoch milliseconds, and each location's hours in order. */
export interface QualityContext {
  rows: readonly QualityRow[];
  locationIds: readonly string[];
  thresholds: QualityThresholds;
  windowStart: number;
  windowEnd: number;
  now: number;
  /** The last hour of the window that can exist: not after the window, and already started by now. */
  lastPossibleHour: number;
  /**
   * Whether the window reaches the present (it ends in the current hour or later), so that its newest hours
   * may still be on their way. A window that ended earlier is history: everything in it is due.
   */
  live: boolean;
  /** Per location, one entry per hour (the first row met when an hour is duplicated), oldest first. */
  hoursByLocation: ReadonlyMap<string, readonly TimedRow[]>;
}

const inputError = (message: string): AppError => new AppError('QUALITY_INPUT', message, { httpStatus: 400 });

function parseTime(text: string, what: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw inputError(`${what} "${text}" is not an ISO 8601 time`);
  return t;
}

export const floorHour = (t: number): number => Math.floor(t / hourMs) * hourMs;

/** An hour in the format the readings use, e.g. `2024-01-01T05:00:00Z`. */
export const isoHour = (t: number): string => formatObservedAt(t);

export function buildContext(input: QualityInput): QualityContext {
  const windowStart = parseTime(input.window.start, 'window start');
  const windowEnd = parseTime(input.window.end, 'window end');
  const now = parseTime(input.now, 'now');
  if (windowStart % hourMs !== 0 || windowEnd % hourMs !== 0) {
    throw inputError('the window must start and end on an hour');
  }
  if (windowEnd <= windowStart) throw inputError('the window must end after it starts');

  const hoursByLocation = new Map<string, TimedRow[]>();
  for (const row of input.rows) {
    const hour = parseTime(row.observedAt, `observedAt of a row for ${row.locationId}`);
    const series = hoursByLocation.get(row.locationId) ?? [];
    series.push({ hour, row });
    hoursByLocation.set(row.locationId, series);
  }
  for (const [locationId, series] of hoursByLocation) {
    // The sort is stable, so of two rows for one hour the first in the input is the one kept.
    const ordered = [...series].sort((a, b) => a.hour - b.hour);
    hoursByLocation.set(
      locationId,
      ordered.filter((entry, i) => i === 0 || entry.hour !== ordered[i - 1]?.hour),
    );
  }

  return {
    rows: input.rows,
    locationIds: input.locationIds,
    thresholds: resolveQualityThresholds(input.thresholds),
    windowStart,
    windowEnd,
    now,
    lastPossibleHour: Math.min(windowEnd - hourMs, floorHour(now)),
    live: windowEnd >= floorHour(now),
    hoursByLocation,
  };
}

/** A location's hours inside the window that are not in the future: the ones completeness and freshness count. */
export function windowHours(context: QualityContext, locationId: string): TimedRow[] {
  const series = context.hoursByLocation.get(locationId) ?? [];
  return series.filter((e) => e.hour >= context.windowStart && e.hour <= context.lastPossibleHour);
}

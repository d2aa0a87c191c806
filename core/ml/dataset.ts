import { type Reading } from '../air-quality/reading';
import { AppError } from '../errors';

/** One location's hourly readings, ascending by `observedAt`; missing hours are simply absent. */
export interface LocationSeries {
  locationId: string;
  readings: Reading[];
}

export const hourMs = 3_600_000;

/** Milliseconds since the epoch of an ISO hour; anything not on the hour is refused, not rounded. */
export function hourOf(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms) || ms % hourMs !== 0) {
    throw new AppError('INVALID_HOUR', `"${iso}" is not the start of an hour in UTC`, { httpStatus: 400 });
  }
  return ms;
}

/** Readings by hour, so windows are found by timestamp and a gap can never shift them onto the wrong hours. */
export type HourLookup = ReadonlyMap<number, Reading>;

export function hourLookup(series: LocationSeries): HourLookup {
  const byHour = new Map<number, Reading>();
  for (const reading of series.readings) {
    const ms = hourOf(reading.observedAt);
    if (byHour.has(ms)) {
      throw new AppError('DUPLICATE_HOUR', `${reading.observedAt} appears twice for ${series.locationId}`, {
        httpStatus: 422,
      });
    }
    byHour.set(ms, reading);
  }
  return byHour;
}

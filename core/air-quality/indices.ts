import { europeanAqi, europeanAqiMethods } from './european-aqi';
import type { AqiValue } from './interpolate';
import type { Reading } from './reading';
import { toHourlySeries } from './series';
import { usAqi } from './us-aqi';

/** An index value as stored: which method produced it and which pollutant set it. */
export interface IndexRecord {
  method: string;
  value: number;
  dominant: string;
}

/**
 * Every index the platform computes, for each of one place's readings, by every method it knows: the
 * one step shared by the batch backfill and the stream processor. An hour whose averaging windows are
 * incomplete simply gets fewer records.
 */
export function indicesForPlace(readings: readonly Reading[]): IndexRecord[][] {
  const series = toHourlySeries(readings);
  // By instant, not by string: `…T05:00:00Z` and `…T05:00:00.000Z` are the same hour.
  const position = new Map(series.observedAt.map((at, i) => [Date.parse(at), i]));
  const perMethod: (AqiValue | null)[][] = [...europeanAqiMethods.map((m) => europeanAqi(series, m)), usAqi(series)];
  return readings.map((r) => {
    const i = position.get(Date.parse(r.observedAt)) ?? -1;
    return perMethod.flatMap((values) => {
      const v = values[i];
      return v ? [{ method: v.method, value: v.value, dominant: v.dominant }] : [];
    });
  });
}

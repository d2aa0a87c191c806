import { eaqiPollutants, europeanAqi, europeanAqiMethods } from './european-aqi';
import type { AqiValue } from './interpolate';
import type { MeasuredVariable, Reading } from './reading';
import { toHourlySeries } from './series';
import { usAqi, usAqiPollutants } from './us-aqi';

/** An index value as stored: which method produced it and which pollutant set it. */
export interface IndexRecord {
  method: string;
  value: number;
  dominant: string;
}

/**
 * Every index the platform computes, for each of one place's readings, by every method it knows: the
 * one step shared by the batch backfill and the stream processor.
 *
 * An index is only recorded when it covers every pollutant of its method that the reading carries: at the
 * start of a series the 24-hour PM mean is unknown, and an index from NO2/O3 alone would understate the
 * hour while looking like the real thing. Pollutants the source does not carry at all cannot be helped.
 */
export function indicesForPlace(readings: readonly Reading[]): IndexRecord[][] {
  const series = toHourlySeries(readings);
  // By instant, not by string: `…T05:00:00Z` and `…T05:00:00.000Z` are the same hour.
  const position = new Map(series.observedAt.map((at, i) => [Date.parse(at), i]));
  const perMethod: (AqiValue | null)[][] = [...europeanAqiMethods.map((m) => europeanAqi(series, m)), usAqi(series)];
  return readings.map((r) => {
    const i = position.get(Date.parse(r.observedAt)) ?? -1;
    const carried = (pollutants: readonly MeasuredVariable[]) =>
      pollutants.filter((p) => r.values[p] !== null && r.values[p] !== undefined);
    return perMethod.flatMap((values) => {
      const v = values[i];
      if (!v) return [];
      const pollutants = v.method === 'us-aqi-epa' ? usAqiPollutants : eaqiPollutants;
      const complete = carried(pollutants).every((p) => v.subIndices[p] !== undefined);
      return complete ? [{ method: v.method, value: v.value, dominant: v.dominant }] : [];
    });
  });
}

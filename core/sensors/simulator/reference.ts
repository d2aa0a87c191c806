import type { MeasuredVariable, Reading } from '../../air-quality/reading';
import { AppError } from '../../errors';

/**
 * The real air the simulated sensors breathe: one location's hourly Open-Meteo series, in the sensor
 * contract's names (µg/m³ throughout), with every hour from the first to the last present. Values between
 * hours are linear interpolations, which is what a reading a minute (or any interval) needs.
 */

export const referencePollutants = ['pm2_5', 'pm10', 'no2', 'o3', 'co'] as const;
export type ReferencePollutant = (typeof referencePollutants)[number];

/** Where each pollutant comes from in a normalized `Reading`. */
export const openMeteoNameOf: Readonly<Record<ReferencePollutant, MeasuredVariable>> = {
  pm2_5: 'pm2_5',
  pm10: 'pm10',
  no2: 'nitrogen_dioxide',
  o3: 'ozone',
  co: 'carbon_monoxide',
};

export interface ReferenceSeries {
  locationId: string;
  latitude: number;
  longitude: number;
  /** Epoch ms of the first hour; hour `i` of every array is `firstHourMs + i h`. */
  firstHourMs: number;
  hours: number;
  values: Partial<Record<ReferencePollutant, readonly number[]>>;
  /** Pollutants not in the source, and how they were made instead (see `no2FromCo`). */
  derived: Partial<Record<ReferencePollutant, string>>;
}

const hourMs = 3_600_000;

/**
 * NO2 for a series that has none (the bundled Lyon 2024 export carries PM, CO and SO2 only), from CO: both
 * come mostly from combustion and traffic, and in the bundled 3-city file (144 hours with both) hourly NO2
 * follows `0.125 · CO − 8.7` with r = 0.74. Good enough for the sensor contract's required `no2` to rise and
 * fall with the real traffic; the reference says so in `derived`, and nothing reports it as measured.
 */
export function no2FromCo(co: number): number {
  return Math.max(0, 0.125 * co - 8.7);
}

/**
 * Fills missing hours (absent rows, `null` values) by linear interpolation between the nearest known
 * hours, and the edges by the nearest known value; `undefined` when the variable is never known.
 */
function filled(values: readonly (number | null | undefined)[]): number[] | undefined {
  const known = values.flatMap((v, i) => (v === null || v === undefined ? [] : [i]));
  if (known.length === 0) return undefined;
  const at = (j: number) => values[j] as number;
  const out = new Array<number>(values.length);
  let k = 0; // known[k] is the last known hour at or before i (or the first known one)
  for (let i = 0; i < values.length; i++) {
    while (k + 1 < known.length && (known[k + 1] as number) <= i) k++;
    const before = known[k] as number;
    const after = known[k + 1];
    out[i] =
      i <= before || after === undefined
        ? at(before)
        : at(before) + ((at(after) - at(before)) * (i - before)) / (after - before);
  }
  return out;
}

/**
 * The reference series of one location from its normalized readings (one place, any order). PM2.5 and
 * PM10 are required; NO2 is taken from the source or derived from CO (`no2FromCo`); O3 and CO are kept
 * when the source has them.
 */
export function referenceFromReadings(
  location: { id: string; latitude: number; longitude: number },
  readings: readonly Reading[],
): ReferenceSeries {
  const fail = (message: string) =>
    new AppError('SIMULATION_REFERENCE', `${location.id}: ${message}`, { httpStatus: 422 });
  if (readings.length === 0) throw fail('no hourly readings to simulate from');
  const times = readings.map((r) => Date.parse(r.observedAt));
  const firstHourMs = times.reduce((a, b) => Math.min(a, b));
  const hours = (times.reduce((a, b) => Math.max(a, b)) - firstHourMs) / hourMs + 1;
  if (!Number.isInteger(hours)) throw fail('readings are not on whole hours');

  const byHour = new Map<number, Reading>();
  readings.forEach((r, i) => byHour.set(((times[i] as number) - firstHourMs) / hourMs, r));
  const column = (pollutant: ReferencePollutant) =>
    filled(Array.from({ length: hours }, (_, h) => byHour.get(h)?.values[openMeteoNameOf[pollutant]]));

  const values: ReferenceSeries['values'] = {};
  const derived: ReferenceSeries['derived'] = {};
  for (const pollutant of referencePollutants) {
    const series = column(pollutant);
    if (series !== undefined) values[pollutant] = series;
  }
  if (values.no2 === undefined && values.co !== undefined) {
    values.no2 = values.co.map(no2FromCo);
    derived.no2 = 'from carbon_monoxide: max(0, 0.125 · CO − 8.7), fitted on the bundled 3-city file';
  }
  const missing = (['pm2_5', 'pm10', 'no2'] as const).filter((p) => values[p] === undefined);
  if (missing.length > 0) throw fail(`the readings never give ${missing.join(', ')} (nor CO to derive NO2 from)`);
  return {
    locationId: location.id,
    latitude: location.latitude,
    longitude: location.longitude,
    firstHourMs,
    hours,
    values,
    derived,
  };
}

/** The series' value at `ms`, linear between hours; past the last hour, the last hour's value. */
export function referenceAt(series: ReferenceSeries, pollutant: ReferencePollutant, ms: number): number | undefined {
  const values = series.values[pollutant];
  if (values === undefined) return undefined;
  const position = (ms - series.firstHourMs) / hourMs;
  const h = Math.floor(position);
  const here = values[h];
  if (here === undefined) return undefined;
  const next = values[h + 1] ?? here;
  return here + (next - here) * (position - h);
}

/** The last instant the series can give a value for without holding its last hour. */
export const referenceEndMs = (series: ReferenceSeries): number => series.firstHourMs + (series.hours - 1) * hourMs;

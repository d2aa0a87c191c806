import { assertAligned, highestSubIndex, trailingMean, valueAt, type AqiValue, type HourlySeries } from './interpolate';
import type { MeasuredVariable } from './reading';

/**
 * The US EPA Air Quality Index, hour by hour, from Open-Meteo-style concentrations (µg/m³).
 *
 * Formula: EPA's. Each concentration is first converted to the table's unit, truncated to the table's
 * precision, then placed in the row whose range holds it: I = I_lo + (I_hi − I_lo)/(C_hi − C_lo)·(C − C_lo),
 * rounded to the nearest integer. Above a table's last row the last row's slope continues (EPA calls such
 * values "beyond the AQI"; a continued line keeps them ordered instead of pinning them at 500). The hour's
 * AQI is the highest sub-index.
 *
 * Averaging windows (Open-Meteo's, which describes PM as 24-hour means, O3 and CO as 8-hour means, other gases
 * hourly; like the European index here, a window covers the hours BEFORE hour t, t itself excluded):
 * - PM2.5, PM10: mean of t-24 .. t-1. PM2.5 uses the table revised in 2024 (Good ends at 9.0 µg/m³).
 * - O3: mean of t-8 .. t-1 on the 8-hour table, and the hourly value at t on the 1-hour table (which starts at
 *   0.125 ppm, AQI 101); the higher of the two counts, as EPA allows. Above 0.200 ppm the 8-hour table ends,
 *   EPA defers to the 1-hour table, so the 8-hour part is held at 300.
 * - CO: mean of t-8 .. t-1. NO2: hourly value at t.
 * - SO2: hourly value at t while below 305 ppb; from 305 ppb EPA switches to the 24-hour mean (t-24 .. t-1),
 *   and a 24-hour mean still below 305 ppb gives 200.
 * A sub-index whose window is incomplete (before the series starts, or a null inside) is left out; an hour with
 * no sub-index at all is null.
 *
 * Units: ppb = µg/m³ × 24.45 / M, the molar volume (L/mol) at 25 °C and 1 atm over the molar mass in g/mol
 * (NO2 46.0055, O3 47.9982, SO2 64.066, CO 28.010); ppm = ppb / 1000. Open-Meteo divides by rounded factors
 * (1.88, 1.96, 2.62, 1.15), which differs by under 0.2 %.
 *
 * Unverified against data: no shared file carries Open-Meteo's `us_aqi`. Expect differences from it anyway:
 * the Open-Meteo source we read interpolates continuously between row starts (no truncation, no integer
 * rounding), used the pre-2024 PM2.5 table (Good up to 12.0 µg/m³) and rounded conversion factors.
 */

export type UsAqiMethod = 'us-aqi-epa';
export const usAqiMethod: UsAqiMethod = 'us-aqi-epa';
export type UsAqiValue = AqiValue<UsAqiMethod>;

/** One row of an EPA table: concentrations C_lo .. C_hi map onto AQI I_lo .. I_hi. */
export type EpaBreakpoint = readonly [cLo: number, cHi: number, iLo: number, iHi: number];
/** A table with the number of decimals EPA truncates its concentrations to. */
export interface EpaTable {
  unit: 'µg/m³' | 'ppm' | 'ppb';
  decimals: number;
  rows: readonly EpaBreakpoint[];
}

// prettier-ignore
export const usAqiTables = {
  pm2_5: { unit: 'µg/m³', decimals: 1, rows: [
    [0, 9, 0, 50], [9.1, 35.4, 51, 100], [35.5, 55.4, 101, 150],
    [55.5, 125.4, 151, 200], [125.5, 225.4, 201, 300], [225.5, 325.4, 301, 500],
  ] },
  pm10: { unit: 'µg/m³', decimals: 0, rows: [
    [0, 54, 0, 50], [55, 154, 51, 100], [155, 254, 101, 150],
    [255, 354, 151, 200], [355, 424, 201, 300], [425, 604, 301, 500],
  ] },
  ozone8h: { unit: 'ppm', decimals: 3, rows: [
    [0, 0.054, 0, 50], [0.055, 0.07, 51, 100], [0.071, 0.085, 101, 150],
    [0.086, 0.105, 151, 200], [0.106, 0.2, 201, 300],
  ] },
  ozone1h: { unit: 'ppm', decimals: 3, rows: [
    [0.125, 0.164, 101, 150], [0.165, 0.204, 151, 200], [0.205, 0.404, 201, 300], [0.405, 0.604, 301, 500],
  ] },
  carbonMonoxide8h: { unit: 'ppm', decimals: 1, rows: [
    [0, 4.4, 0, 50], [4.5, 9.4, 51, 100], [9.5, 12.4, 101, 150],
    [12.5, 15.4, 151, 200], [15.5, 30.4, 201, 300], [30.5, 50.4, 301, 500],
  ] },
  nitrogenDioxide1h: { unit: 'ppb', decimals: 0, rows: [
    [0, 53, 0, 50], [54, 100, 51, 100], [101, 360, 101, 150],
    [361, 649, 151, 200], [650, 1249, 201, 300], [1250, 2049, 301, 500],
  ] },
  sulphurDioxide1h: { unit: 'ppb', decimals: 0, rows: [
    [0, 35, 0, 50], [36, 75, 51, 100], [76, 185, 101, 150], [186, 304, 151, 200],
  ] },
  sulphurDioxide24h: { unit: 'ppb', decimals: 0, rows: [[305, 604, 201, 300], [605, 1004, 301, 500]] },
} as const satisfies Record<string, EpaTable>;

const molarMass = { nitrogen_dioxide: 46.0055, ozone: 47.9982, sulphur_dioxide: 64.066, carbon_monoxide: 28.01 };
const molarVolumeAt25C = 24.45;

/** µg/m³ → ppb at 25 °C and 1 atm. */
export function microgramsToPpb(gas: keyof typeof molarMass, microgramsPerCubicMetre: number): number {
  return (microgramsPerCubicMetre * molarVolumeAt25C) / molarMass[gas];
}

/** Also the tie-break order for the dominant pollutant. */
export const usAqiPollutants: readonly MeasuredVariable[] = [
  'pm2_5',
  'pm10',
  'ozone',
  'nitrogen_dioxide',
  'sulphur_dioxide',
  'carbon_monoxide',
];

/** EPA truncates, never rounds; the epsilon keeps a mean like 8.9999999999 (really 9.0) from dropping a step. */
function truncate(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.floor(Math.max(0, value) * scale + 1e-9) / scale;
}

/**
 * The EPA sub-index of a concentration in the table's unit. Null below the table's first row (only the
 * 1-hour ozone table starts above zero). Above the last row: the last row's slope continues, or with
 * `cap` the last row's top index is returned (for a table EPA hands over to another one there).
 */
export function epaSubIndex(
  table: EpaTable,
  concentration: number,
  beyondTable: 'extrapolate' | 'cap' = 'extrapolate',
): number | null {
  const c = truncate(concentration, table.decimals);
  const first = table.rows[0];
  const last = table.rows[table.rows.length - 1];
  if (first === undefined || last === undefined || c < first[0]) return null;
  if (c > last[1] && beyondTable === 'cap') return last[3];
  const [cLo, cHi, iLo, iHi] = table.rows.find((row) => c <= row[1]) ?? last;
  return Math.round(iLo + ((iHi - iLo) / (cHi - cLo)) * (c - cLo));
}

function ozoneSubIndex(hourly: number | null, mean8h: number): number {
  const eightHour = epaSubIndex(usAqiTables.ozone8h, microgramsToPpb('ozone', mean8h) / 1000, 'cap') ?? 0;
  const oneHour = hourly === null ? null : epaSubIndex(usAqiTables.ozone1h, microgramsToPpb('ozone', hourly) / 1000);
  return oneHour === null ? eightHour : Math.max(eightHour, oneHour);
}

function sulphurDioxideSubIndex(values: readonly (number | null)[], t: number): number | null {
  const hourly = valueAt(values, t);
  if (hourly === null) return null;
  const hourlyPpb = truncate(microgramsToPpb('sulphur_dioxide', hourly), 0);
  if (hourlyPpb <= 304) return epaSubIndex(usAqiTables.sulphurDioxide1h, hourlyPpb);
  const mean24h = trailingMean(values, t, 24);
  if (mean24h === null) return null;
  return epaSubIndex(usAqiTables.sulphurDioxide24h, microgramsToPpb('sulphur_dioxide', mean24h)) ?? 200;
}

/** The sub-index of one pollutant at hour t, or null when its inputs are missing. */
function subIndexAt(pollutant: MeasuredVariable, values: readonly (number | null)[], t: number): number | null {
  switch (pollutant) {
    case 'pm2_5':
    case 'pm10': {
      const mean = trailingMean(values, t, 24);
      return mean === null ? null : epaSubIndex(usAqiTables[pollutant], mean);
    }
    case 'ozone': {
      const mean = trailingMean(values, t, 8);
      return mean === null ? null : ozoneSubIndex(valueAt(values, t), mean);
    }
    case 'carbon_monoxide': {
      const mean = trailingMean(values, t, 8);
      return mean === null ? null : epaSubIndex(usAqiTables.carbonMonoxide8h, microgramsToPpb(pollutant, mean) / 1000);
    }
    case 'nitrogen_dioxide': {
      const hourly = valueAt(values, t);
      return hourly === null ? null : epaSubIndex(usAqiTables.nitrogenDioxide1h, microgramsToPpb(pollutant, hourly));
    }
    case 'sulphur_dioxide':
      return sulphurDioxideSubIndex(values, t);
    default:
      return null;
  }
}

/** The US AQI of every hour of `series` (see the file header for windows, units and null rules). */
export function usAqi(series: HourlySeries): (UsAqiValue | null)[] {
  assertAligned(series);
  return series.observedAt.map((_, t) => {
    const subIndices: Partial<Record<MeasuredVariable, number>> = {};
    for (const pollutant of usAqiPollutants) {
      const values = series.values[pollutant];
      const subIndex = values === undefined ? null : subIndexAt(pollutant, values, t);
      if (subIndex !== null) subIndices[pollutant] = subIndex;
    }
    return highestSubIndex(usAqiPollutants, subIndices, usAqiMethod);
  });
}

import {
  assertAligned,
  bandPosition,
  highestSubIndex,
  trailingMean,
  valueAt,
  type AqiValue,
  type HourlySeries,
} from './interpolate';
import type { MeasuredVariable } from './reading';

/**
 * The European Air Quality Index as a continuous number: each pollutant's concentration is placed inside its
 * band by linear interpolation, band i covering index 20·i .. 20·(i+1), and the last band's slope continues
 * above the table (so "extremely poor" is open-ended, > 100). The hour's index is the highest sub-index.
 *
 * Two methods exist because Open-Meteo changed its computation on 2026-08-14; a stored EAQI is meaningless
 * without knowing which one produced it, so every result carries its method:
 * - `eaqi-open-meteo-pre-2026-08`: the older EEA bands; PM2.5 and PM10 as the mean of the 24 hours BEFORE the
 *   hour (t-24 .. t-1, hour t excluded), NO2, O3 and SO2 as the hourly value. Checked against the shared
 *   Open-Meteo exports (data/README.md): it reproduces the 3-city file's `european_aqi` to within float32
 *   noise wherever 24 hours of PM history exist. (Hours without that history differ, because Open-Meteo
 *   averaged PM from before the exported range.)
 * - `eaqi-eea-2024`: the EEA 2024 bands, all pollutants hourly. The EEA defines discrete levels only and
 *   Open-Meteo publishes the bands, not its formula, so interpolating inside them with the same 20-per-band
 *   rule is this platform's convention; no shared file carries values to check it against.
 */

export type EuropeanAqiMethod = 'eaqi-open-meteo-pre-2026-08' | 'eaqi-eea-2024';
export const europeanAqiMethods: readonly EuropeanAqiMethod[] = ['eaqi-open-meteo-pre-2026-08', 'eaqi-eea-2024'];

export type EaqiPollutant = Extract<
  MeasuredVariable,
  'pm2_5' | 'pm10' | 'nitrogen_dioxide' | 'ozone' | 'sulphur_dioxide'
>;
/** Also the tie-break order for the dominant pollutant. */
export const eaqiPollutants: readonly EaqiPollutant[] = [
  'pm2_5',
  'pm10',
  'nitrogen_dioxide',
  'ozone',
  'sulphur_dioxide',
];

export type EuropeanAqiValue = AqiValue<EuropeanAqiMethod>;
export type { AqiValue, HourlySeries } from './interpolate';

/** Band edges in µg/m³; edge i is where sub-index 20·i starts. */
export type EaqiBandTable = Readonly<Record<EaqiPollutant, readonly number[]>>;

export const europeanAqiBands: Readonly<Record<EuropeanAqiMethod, EaqiBandTable>> = {
  'eaqi-open-meteo-pre-2026-08': {
    pm2_5: [0, 10, 20, 25, 50, 75],
    pm10: [0, 20, 40, 50, 100, 150],
    nitrogen_dioxide: [0, 40, 90, 120, 230, 340],
    ozone: [0, 50, 100, 130, 240, 380],
    sulphur_dioxide: [0, 100, 200, 350, 500, 750],
  },
  'eaqi-eea-2024': {
    pm2_5: [0, 5, 15, 50, 90, 140],
    pm10: [0, 15, 45, 120, 195, 270],
    nitrogen_dioxide: [0, 10, 25, 60, 100, 150],
    ozone: [0, 60, 100, 120, 160, 180],
    sulphur_dioxide: [0, 20, 40, 125, 190, 275],
  },
};

/** Hours of PM history each method averages over; 0 means the hourly value. */
const particulateWindowHours: Readonly<Record<EuropeanAqiMethod, number>> = {
  'eaqi-open-meteo-pre-2026-08': 24,
  'eaqi-eea-2024': 0,
};

const indexPerBand = 20;

/** One pollutant's sub-index from a concentration (already averaged as the method requires). */
export function eaqiSubIndex(method: EuropeanAqiMethod, pollutant: EaqiPollutant, concentration: number): number {
  return indexPerBand * bandPosition(europeanAqiBands[method][pollutant], concentration);
}

/**
 * The EAQI of every hour of `series`. An hour gets null when no sub-index can be computed: pollutants absent
 * from the series are skipped, a null hourly value skips that pollutant, and under the pre-2026 method a PM
 * sub-index needs all 24 preceding hours present (so the first 24 hours of a series never have one).
 */
export function europeanAqi(series: HourlySeries, method: EuropeanAqiMethod): (EuropeanAqiValue | null)[] {
  assertAligned(series);
  const windowHours = particulateWindowHours[method];
  return series.observedAt.map((_, t) => {
    const subIndices: Partial<Record<MeasuredVariable, number>> = {};
    for (const pollutant of eaqiPollutants) {
      const values = series.values[pollutant];
      if (values === undefined) continue;
      const averaged = windowHours > 0 && (pollutant === 'pm2_5' || pollutant === 'pm10');
      const concentration = averaged ? trailingMean(values, t, windowHours) : valueAt(values, t);
      if (concentration !== null) subIndices[pollutant] = eaqiSubIndex(method, pollutant, concentration);
    }
    return highestSubIndex(eaqiPollutants, subIndices, method);
  });
}

export type EaqiBand = 'good' | 'fair' | 'moderate' | 'poor' | 'very poor' | 'extremely poor';

const bandsByUpperEdge: readonly (readonly [number, EaqiBand])[] = [
  [20, 'good'],
  [40, 'fair'],
  [60, 'moderate'],
  [80, 'poor'],
  [100, 'very poor'],
];

/**
 * The qualitative band of an index value. Upper edges are inclusive (20 is still 'good', 100 still
 * 'very poor'), because the published scale describes 'extremely poor' as exceeding 100 and a reading exactly
 * on a band's upper concentration threshold still meets that band's limit.
 */
export function eaqiBand(value: number): EaqiBand {
  if (Number.isNaN(value)) throw new RangeError('an EAQI value must be a number');
  for (const [upperEdge, band] of bandsByUpperEdge) if (value <= upperEdge) return band;
  return 'extremely poor';
}

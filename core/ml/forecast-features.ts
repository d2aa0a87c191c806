import { eaqiSubIndex } from '../air-quality/european-aqi';
import { type MeasuredVariable, type Reading } from '../air-quality/reading';

import { hourMs, type HourLookup } from './dataset';

/**
 * Features of a +h hour forecast (h = 1..24), all known at the hour `at` the forecast is made.
 *
 * The target is the reported index at t+h: the highest of the PM sub-indices over the mean of hours
 * t+h-24 .. t+h-1 and the hourly sub-indices of the gases. Two facts shape the features:
 * - Hours t+h-24 .. t of that PM window are already observed at t (all of them for h = 1, one for h = 24). The
 *   features carry that known part, and estimates of the whole window that fill the unknown hours with the
 *   latest hour's PM (the better guess on Lyon 2024: PM episodes persist) or with the latest 24-hour mean.
 * - The index also covers pollutants the readings may lack (the Open-Meteo export has no NO2 or O3), so the
 *   reported index can exceed the one computable from the readings. That "unseen" part is measured at t and at
 *   the target's hour the day before; ozone moves slowly and daily, so both forecast it well.
 * `european_aqi_estimate`, the larger of the PM window estimate and the unseen pollutants' current index, is
 * the baseline learners correct: within rounding of the target at +1 h, close to persistence at +24 h.
 */

const method = 'eaqi-open-meteo-pre-2026-08' as const;
const windowHours = 24;
/** PM is read back to at-48 h, so the index at the target's hour yesterday (as early as at-23 h) is computable. */
const historyHours = 2 * windowHours;
const indexLags = [1, 3, 6, 12, 24] as const;
/**
 * The stored past every forecast needs: these variables at each of the hours at-48 h .. at. Stated once so the
 * store can find the hours that have it (adapters/postgres/latest-history.ts); `forecastRow` checks the rest.
 */
export const forecastHistoryNeed: { hours: number; variables: readonly MeasuredVariable[] } = {
  hours: historyHours,
  variables: ['pm2_5', 'pm10'],
};
/** The reported index is rounded to whole numbers: a larger gap than half a unit means another pollutant leads. */
const roundingSlack = 0.5;

export const forecastBaselineFeature = 'european_aqi_estimate';

export const forecastFeatureNames: readonly string[] = [
  'european_aqi_now',
  ...indexLags.map((k) => `european_aqi_lag_${k}h`),
  'european_aqi_computed_now',
  'european_aqi_unseen_now',
  'european_aqi_target_hour_yesterday',
  'european_aqi_unseen_target_hour_yesterday',
  'pm2_5_now',
  'pm10_now',
  'carbon_monoxide_now',
  'sulphur_dioxide_now',
  'uv_index_now',
  'pm2_5_mean_24h',
  'pm10_mean_24h',
  'pm2_5_change_3h',
  'pm10_change_3h',
  'pm2_5_target_hour_yesterday',
  'pm10_target_hour_yesterday',
  'pm2_5_window_known_mean',
  'pm10_window_known_mean',
  'pm2_5_window_subindex',
  'pm10_window_subindex',
  'european_aqi_window_estimate',
  'european_aqi_window_estimate_mean_fill',
  forecastBaselineFeature,
  'target_hour_of_day',
  'target_weekday',
];

const sum = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0);
const mean = (values: readonly number[]): number => sum(values) / values.length;

/** PM of hours at-48 .. at, position i being hour at-48+i; undefined when any hour lacks either. */
function particulateHistory(lookup: HourLookup, atMs: number): { fine: number[]; coarse: number[] } | undefined {
  const fine: number[] = [];
  const coarse: number[] = [];
  for (let k = historyHours; k >= 0; k--) {
    const values = lookup.get(atMs - k * hourMs)?.values;
    if (values?.pm2_5 == null || values.pm10 == null) return undefined;
    fine.push(values.pm2_5);
    coarse.push(values.pm10);
  }
  return { fine, coarse };
}

/** The index computable from the readings alone at position `p` of the history: PM over p-24 .. p-1, SO2 at p. */
function computedIndex(fine: readonly number[], coarse: readonly number[], p: number, so2: number): number {
  return Math.max(
    eaqiSubIndex(method, 'pm2_5', mean(fine.slice(p - windowHours, p))),
    eaqiSubIndex(method, 'pm10', mean(coarse.slice(p - windowHours, p))),
    eaqiSubIndex(method, 'sulphur_dioxide', so2),
  );
}

const reportedIndex = (reading: Reading | undefined): number | undefined => reading?.reported.european_aqi ?? undefined;

/**
 * The forecast feature vector at `atMs` for horizon `horizonHours`, or undefined when an hour it needs is
 * missing: PM for the 49 hours at-48 .. at, the other pollutants and UV at `at` and SO2 at the target's hour
 * yesterday, the index at `at`, at its lags and at the target's hour yesterday. Nothing after `at` is read.
 */
export function forecastRow(lookup: HourLookup, atMs: number, horizonHours: number): number[] | undefined {
  const history = particulateHistory(lookup, atMs);
  const reading = (k: number) => lookup.get(atMs - k * hourMs);
  const now = reading(0);
  const { carbon_monoxide: co, sulphur_dioxide: so2, uv_index: uv } = now?.values ?? {};
  const yesterdayK = windowHours - horizonHours; // the target's hour yesterday, k hours before `at`
  const so2Yesterday = reading(yesterdayK)?.values.sulphur_dioxide;
  const indexNow = reportedIndex(now);
  const lags = indexLags.map((k) => reportedIndex(reading(k)));
  const indexYesterday = reportedIndex(reading(yesterdayK));
  if (history === undefined || co == null || so2 == null || uv == null || so2Yesterday == null) return undefined;
  if (indexNow === undefined || indexYesterday === undefined || lags.some((v) => v === undefined)) return undefined;

  const { fine, coarse } = history;
  const nowP = historyHours;
  const fineNow = fine[nowP] as number;
  const coarseNow = coarse[nowP] as number;
  const yesterdayP = historyHours - yesterdayK;
  const computedNow = computedIndex(fine, coarse, nowP, so2);
  const unseenNow = indexNow - computedNow;
  const unseenYesterday = indexYesterday - computedIndex(fine, coarse, yesterdayP, so2Yesterday);

  // The target window's observed hours are at+h-24 .. at: positions yesterdayP .. nowP.
  const fineKnown = fine.slice(yesterdayP);
  const coarseKnown = coarse.slice(yesterdayP);
  const fineMean = mean(fine.slice(nowP - windowHours + 1));
  const coarseMean = mean(coarse.slice(nowP - windowHours + 1));
  const unknownHours = horizonHours - 1;
  const so2SubIndex = eaqiSubIndex(method, 'sulphur_dioxide', so2);
  // Unknown hours filled with the latest hour's PM: the baseline.
  const fineSubIndex = eaqiSubIndex(method, 'pm2_5', (sum(fineKnown) + unknownHours * fineNow) / windowHours);
  const coarseSubIndex = eaqiSubIndex(method, 'pm10', (sum(coarseKnown) + unknownHours * coarseNow) / windowHours);
  const windowEstimate = Math.max(fineSubIndex, coarseSubIndex, so2SubIndex);
  // Filled with the latest 24-hour mean instead: steadier when the latest hour is a spike.
  const meanFillEstimate = Math.max(
    eaqiSubIndex(method, 'pm2_5', (sum(fineKnown) + unknownHours * fineMean) / windowHours),
    eaqiSubIndex(method, 'pm10', (sum(coarseKnown) + unknownHours * coarseMean) / windowHours),
    so2SubIndex,
  );
  const estimate = unseenNow > roundingSlack ? Math.max(windowEstimate, indexNow) : windowEstimate;
  const target = new Date(atMs + horizonHours * hourMs);

  return [
    indexNow,
    ...(lags as number[]),
    computedNow,
    unseenNow,
    indexYesterday,
    unseenYesterday,
    fineNow,
    coarseNow,
    co,
    so2,
    uv,
    fineMean,
    coarseMean,
    fineNow - (fine[nowP - 3] as number),
    coarseNow - (coarse[nowP - 3] as number),
    fine[yesterdayP] as number,
    coarse[yesterdayP] as number,
    mean(fineKnown),
    mean(coarseKnown),
    fineSubIndex,
    coarseSubIndex,
    windowEstimate,
    meanFillEstimate,
    estimate,
    target.getUTCHours(),
    target.getUTCDay(),
  ];
}

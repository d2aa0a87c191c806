import { type LocationSeries } from './dataset';
import { forecastFeatures } from './examples';
import { type FeatureSpec } from './feature-spec';

/** The hour a forecast is made from, and its feature vector. */
export interface ForecastOrigin {
  at: string;
  x: number[];
}

/**
 * The newest hour of `series` (ascending, as stored) from which `spec`'s features can be computed, and the
 * vector: where a forecast "as of now" starts. The newest stored hour is not always it: a short export or an
 * ingest after a pause leaves hours without the two days of history the features read, and a forecast from
 * filled-in history would pass invented hours off as observed ones.
 */
export function latestForecastOrigin(series: LocationSeries, spec: FeatureSpec): ForecastOrigin | undefined {
  for (let i = series.readings.length - 1; i >= 0; i--) {
    const at = (series.readings[i] as LocationSeries['readings'][number]).observedAt;
    const x = forecastFeatures(series, at, spec);
    if (x !== undefined) return { at, x };
  }
  return undefined;
}

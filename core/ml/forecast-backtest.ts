import type { LocationSeries } from './dataset';
import { featureRowsBetween, type FeatureSpec } from './features';
import { servedPredictions } from './served-index';

/** What a forecast said for an hour, beside what was then reported (null while that hour is not stored). */
export interface ForecastAgainstActual {
  /** The hour the forecast was made at. */
  at: string;
  /** The hour it is about: `at` + the horizon. */
  target: string;
  predicted: number;
  actual: number | null;
}

/**
 * The champion's forecast for every hour of a window that has the history its features read, beside what
 * happened at the target hour: the same feature rows as monitoring (`featureRowsBetween`) and the same served
 * number as `GET /forecast` (`servedPredictions`), so a point here is what the API would have answered then.
 */
export function forecastsAgainstActuals(
  series: LocationSeries,
  model: { spec: FeatureSpec; predict(x: readonly number[][], persistence?: readonly number[]): number[] },
  window: { from: string; to: string },
): ForecastAgainstActual[] {
  const rows = featureRowsBetween([series], model.spec, window);
  const predicted = servedPredictions(
    model,
    rows.map((r) => r.x),
    rows.map((r) => r.persistence ?? Number.NaN),
  );
  const horizonMs = model.spec.horizonHours * 3600_000;
  return rows.map((row, i) => ({
    at: row.at,
    target: new Date(Date.parse(row.at) + horizonMs).toISOString().replace('.000Z', 'Z'),
    predicted: predicted[i] ?? Number.NaN,
    actual: row.y ?? null,
  }));
}

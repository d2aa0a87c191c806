import { formatObservedAt } from '../../air-quality/reading';
import { hourMs, hourOf, type LocationSeries } from '../../ml/dataset';
import { featureRowsBetween } from '../../ml/features';
import type { Model } from '../../ml/models';
import { servedPredictions } from '../../ml/served-index';

/** One prediction for a real hour, as the prediction log keeps it (table prediction_log). */
export interface LoggedPrediction {
  modelName: string;
  modelVersion: string;
  horizonHours: number;
  locationId: string;
  /** The newest hour the features read. */
  originHour: string;
  /** The hour predicted: origin + horizon. */
  targetHour: string;
  /** The served index (what the API answers for the same row). */
  predicted: number;
}

/**
 * What a champion predicts from every stored hour of [from, to) that has its features: the scoring step of
 * the hourly ingest. Built by the feature code training and serving use, and floored as the API serves it,
 * so a logged prediction is the number `/forecast` (or `/predict`, for an instant model) answers for that hour.
 */
export function predictStoredHours(
  series: readonly LocationSeries[],
  model: Model,
  version: { modelName: string; modelVersion: string },
  window: { from: string; to: string },
): LoggedPrediction[] {
  const rows = featureRowsBetween(series, model.spec, window);
  const predicted = servedPredictions(
    model,
    rows.map((r) => r.x),
    rows.map((r) => r.persistence ?? Number.NaN),
  );
  return rows.map((row, i) => ({
    ...version,
    horizonHours: model.spec.horizonHours,
    locationId: row.locationId,
    originHour: row.at,
    targetHour: formatObservedAt(hourOf(row.at) + model.spec.horizonHours * hourMs),
    predicted: predicted[i] ?? Number.NaN,
  }));
}

import { formatObservedAt } from '../../air-quality/reading';
import { hourMs, hourOf, type LocationSeries } from '../../ml/dataset';
import { buildExamples, featureRowsBetween, type FeatureSpec } from '../../ml/features';
import { forecastHistoryNeed } from '../../ml/forecast-features';
import type { Model } from '../../ml/models';
import { servedPredictions } from '../../ml/served-index';

import type { MonitoredRows } from './report';

/**
 * The rows a champion is monitored on, built by the code training and serving use: the reference from the
 * training snapshot exactly as training built its examples (`buildExamples`), the current window hour by
 * hour (`featureRowsBetween`, which keeps the hours whose actual is not stored yet), and for both the
 * prediction the API would serve for each row (`servedPredictions`).
 */
export function referenceRows(snapshot: readonly LocationSeries[], model: Model): MonitoredRows {
  const examples = buildExamples(snapshot, model.spec);
  return {
    x: examples.x,
    predictions: servedPredictions(model, examples.x, examples.persistence),
    target: examples.y,
  };
}

export function currentRows(
  series: readonly LocationSeries[],
  model: Model,
  window: { from: string; to: string },
): MonitoredRows {
  const rows = featureRowsBetween(series, model.spec, window);
  const x = rows.map((r) => r.x);
  return {
    x,
    predictions: servedPredictions(
      model,
      x,
      rows.map((r) => r.persistence ?? Number.NaN),
    ),
    target: rows.map((r) => r.y),
  };
}

/** The stored hours to read for a window: the history its first features need and the targets of its last. */
export function readingsSpan(spec: FeatureSpec, window: { from: string; to: string }): { from: string; to: string } {
  const back = spec.kind === 'forecast' ? forecastHistoryNeed.hours : 0;
  return {
    from: formatObservedAt(hourOf(window.from) - back * hourMs),
    to: formatObservedAt(hourOf(window.to) + spec.horizonHours * hourMs),
  };
}

/** The current window: the `days` before `to` (an ISO hour, exclusive). */
export function currentWindow(to: string, days: number): { from: string; to: string } {
  return { from: formatObservedAt(hourOf(to) - days * 24 * hourMs), to: formatObservedAt(hourOf(to)) };
}

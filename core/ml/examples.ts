import { formatObservedAt } from '../air-quality/reading';
import { AppError } from '../errors';

import { hourLookup, hourMs, hourOf, type HourLookup, type LocationSeries } from './dataset';
import { assertSupportedSpec, type FeatureSpec } from './feature-spec';
import { forecastRow } from './forecast-features';
import { instantFeatures, instantVariables } from './instant-features';

/** Rows for learning and evaluation: one per location and hour `at` that has both its features and target. */
export interface Examples {
  /**
   * What the rows are, set by `buildExamples` and kept by `chronologicalSplit`: `trainModel` records it in the
   * model so serving recomputes the same rows. Rows assembled by hand only for scoring may omit it.
   */
  spec?: FeatureSpec;
  x: number[][];
  y: number[];
  /** The hour the prediction is made at. */
  at: string[];
  /** The hour predicted (`at` + horizon). */
  target: string[];
  locationIds: string[];
  /** The reported index at `at`: what persistence predicts. For an instant spec it is the target itself. */
  persistence: number[];
}

export const emptyExamples = (spec: FeatureSpec | undefined): Examples => ({
  ...(spec === undefined ? {} : { spec }),
  x: [],
  y: [],
  at: [],
  target: [],
  locationIds: [],
  persistence: [],
});

/** The instant vector of the reading at `atMs`, when all five inputs were measured. */
function instantRow(lookup: HourLookup, atMs: number): number[] | undefined {
  const values = lookup.get(atMs)?.values;
  if (values === undefined) return undefined;
  const [pm2_5, pm10, carbon_monoxide, sulphur_dioxide, uv_index] = instantVariables.map((v) => values[v]);
  if (pm2_5 == null || pm10 == null || carbon_monoxide == null || sulphur_dioxide == null || uv_index == null) {
    return undefined;
  }
  return instantFeatures({ pm2_5, pm10, carbon_monoxide, sulphur_dioxide, uv_index });
}

/** Training and serving both come through here, so a served vector is the one the model was trained on. */
function featureRow(lookup: HourLookup, atMs: number, spec: FeatureSpec): number[] | undefined {
  return spec.kind === 'instant' ? instantRow(lookup, atMs) : forecastRow(lookup, atMs, spec.horizonHours);
}

/**
 * The feature vector at hour `at` (ISO hour) of one location for a forecast spec, from readings up to and
 * including `at`; undefined when the needed history is missing. Used by serving (/forecast).
 */
export function forecastFeatures(series: LocationSeries, at: string, spec: FeatureSpec): number[] | undefined {
  if (spec.kind !== 'forecast') {
    throw new AppError('UNSUPPORTED_FEATURE_SPEC', 'forecastFeatures needs a forecast spec', { httpStatus: 422 });
  }
  assertSupportedSpec(spec);
  const atMs = hourOf(at);
  // Readings after `at` are dropped first, so a caller holding newer data cannot leak it into the vector.
  const past = { ...series, readings: series.readings.filter((r) => hourOf(r.observedAt) <= atMs) };
  return featureRow(hourLookup(past), atMs, spec);
}

/** Every example of every series, in series then hour order; rows lacking their target or features are skipped. */
export function buildExamples(series: readonly LocationSeries[], spec: FeatureSpec): Examples {
  assertSupportedSpec(spec);
  const examples = emptyExamples(spec);
  for (const one of series) {
    const lookup = hourLookup(one);
    for (const reading of one.readings) {
      const atMs = hourOf(reading.observedAt);
      const targetMs = atMs + spec.horizonHours * hourMs;
      const y = lookup.get(targetMs)?.reported.european_aqi;
      const persistence = reading.reported.european_aqi;
      if (y == null || persistence == null) continue;
      const x = featureRow(lookup, atMs, spec);
      if (x === undefined) continue;
      examples.x.push(x);
      examples.y.push(y);
      examples.at.push(formatObservedAt(atMs));
      examples.target.push(formatObservedAt(targetMs));
      examples.locationIds.push(one.locationId);
      examples.persistence.push(persistence);
    }
  }
  return examples;
}

/** A feature vector at one hour, with the actual index at its target hour when that hour is stored. */
export interface FeatureRowAt {
  locationId: string;
  /** The hour the prediction is made at. */
  at: string;
  x: number[];
  /** The reported index at `at` + horizon; undefined while that hour is not stored (or lacks the index). */
  y?: number;
  /** The reported index at `at`. */
  persistence?: number;
}

/**
 * Every hour `at` in [from, to) of every series whose features exist, with its target when known: what a
 * model is asked to predict over a window (monitoring), by the same feature code as `buildExamples`. The
 * series may hold readings before `from` (the history the features read) and after `to` (the targets).
 */
export function featureRowsBetween(
  series: readonly LocationSeries[],
  spec: FeatureSpec,
  window: { from: string; to: string },
): FeatureRowAt[] {
  assertSupportedSpec(spec);
  const fromMs = hourOf(window.from);
  const toMs = hourOf(window.to);
  const rows: FeatureRowAt[] = [];
  for (const one of series) {
    const lookup = hourLookup(one);
    for (const reading of one.readings) {
      const atMs = hourOf(reading.observedAt);
      if (atMs < fromMs || atMs >= toMs) continue;
      const x = featureRow(lookup, atMs, spec);
      if (x === undefined) continue;
      const y = lookup.get(atMs + spec.horizonHours * hourMs)?.reported.european_aqi;
      const persistence = reading.reported.european_aqi;
      rows.push({
        locationId: one.locationId,
        at: formatObservedAt(atMs),
        x,
        ...(y == null ? {} : { y }),
        ...(persistence == null ? {} : { persistence }),
      });
    }
  }
  return rows;
}

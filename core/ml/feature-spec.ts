import { z } from 'zod';

import { type EuropeanAqiMethod } from '../air-quality/european-aqi';
import { AppError } from '../errors';

import { forecastBaselineFeature, forecastFeatureNames } from './forecast-features';
import { instantFeatureNames } from './instant-features';

/**
 * What a model reads and predicts. The names are the contract between training and serving: a model is only
 * served by code whose `featureSpecFor` produces the same version and names, so an artifact trained on other
 * features is refused instead of being fed the wrong columns.
 */

export type ModelKind = 'instant' | 'forecast';
export const modelKinds: readonly ModelKind[] = ['instant', 'forecast'];

/** The index the models learn: the source's reported `european_aqi`, which follows this method. */
export const targetMethod: EuropeanAqiMethod = 'eaqi-open-meteo-pre-2026-08';

/** The known part of the target's 24-hour PM window is the forecasts' main signal; past 24 h there is none. */
export const maxForecastHorizonHours = 24;

const featureVersion = { instant: 'instant-v1', forecast: 'forecast-v1' } as const;

export interface FeatureSpec {
  version: string;
  kind: ModelKind;
  horizonHours: number;
  names: string[];
  target: { variable: 'european_aqi'; method: string };
  /** When set, learners fit the target minus this feature (a change from a known estimate), not the level. */
  baselineFeature?: string;
}

export const featureSpec: z.ZodType<FeatureSpec> = z
  .object({
    version: z.string().min(1),
    kind: z.enum(['instant', 'forecast']),
    horizonHours: z.number().int().min(0),
    names: z.array(z.string().min(1)).min(1),
    target: z.object({ variable: z.literal('european_aqi'), method: z.string().min(1) }).strict(),
    baselineFeature: z.string().min(1).optional(),
  })
  .strict();

/** The spec this code computes for a kind and horizon. An instant model always has horizon 0. */
export function featureSpecFor(kind: ModelKind, horizonHours: number): FeatureSpec {
  const target = { variable: 'european_aqi' as const, method: targetMethod };
  if (kind === 'instant') {
    return { version: featureVersion.instant, kind, horizonHours: 0, names: [...instantFeatureNames], target };
  }
  if (!Number.isInteger(horizonHours) || horizonHours < 1 || horizonHours > maxForecastHorizonHours) {
    throw new AppError(
      'INVALID_HORIZON',
      `a forecast horizon must be a whole number of hours from 1 to ${maxForecastHorizonHours}, not ${horizonHours}`,
      { httpStatus: 400 },
    );
  }
  return {
    version: featureVersion.forecast,
    kind,
    horizonHours,
    names: [...forecastFeatureNames],
    target,
    baselineFeature: forecastBaselineFeature,
  };
}

/** Throws unless `spec` is exactly what this code would compute for its kind and horizon. */
export function assertSupportedSpec(spec: FeatureSpec): void {
  let expected: FeatureSpec;
  try {
    expected = featureSpecFor(spec.kind, spec.horizonHours);
  } catch (err) {
    throw new AppError('UNSUPPORTED_FEATURE_SPEC', `feature spec ${spec.version}: ${String(err)}`, {
      httpStatus: 422,
      cause: err,
    });
  }
  const same =
    expected.version === spec.version &&
    expected.horizonHours === spec.horizonHours &&
    expected.baselineFeature === spec.baselineFeature &&
    expected.target.method === spec.target.method &&
    expected.names.length === spec.names.length &&
    expected.names.every((name, i) => spec.names[i] === name);
  if (!same) {
    throw new AppError(
      'UNSUPPORTED_FEATURE_SPEC',
      `feature spec ${spec.version} (${spec.kind}, +${spec.horizonHours} h) differs from what this code computes (${expected.version})`,
      { httpStatus: 422 },
    );
  }
}

import { z } from 'zod';

import { AppError } from '../../errors';
import { sensorMeasurementNames } from '../reading';

import { defaultDetectorThresholds } from './defaults';
import {
  detectorThresholdOverrides,
  detectorThresholds,
  type DetectorThresholdOverrides,
  type DetectorThresholds,
} from './schema';

/**
 * The defaults with `overrides` applied (per measurement too); an override left `undefined` keeps the
 * default. The result is validated as a whole, so a back threshold above the spike threshold, say, is
 * refused instead of silently ending every excursion at once.
 */
export function resolveDetectorThresholds(overrides: unknown = {}): DetectorThresholds {
  const parsedOverrides = detectorThresholdOverrides.safeParse(overrides);
  if (!parsedOverrides.success) throw invalid(parsedOverrides.error);
  const { measurements = {}, ...rest } = parsedOverrides.data as DetectorThresholdOverrides;
  const merged = {
    ...defaultDetectorThresholds,
    ...definedOnly(rest),
    measurements: Object.fromEntries(
      sensorMeasurementNames.map((name) => [
        name,
        { ...defaultDetectorThresholds.measurements[name], ...definedOnly(measurements[name] ?? {}) },
      ]),
    ),
  };
  const result = detectorThresholds.safeParse(merged);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function invalid(error: z.ZodError): AppError {
  return new AppError('DETECTOR_THRESHOLDS', `invalid detector thresholds: ${z.prettifyError(error)}`, {
    httpStatus: 400,
    cause: error,
  });
}

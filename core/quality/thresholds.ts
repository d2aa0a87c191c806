import { z } from 'zod';

import { AppError } from '../errors';

const share = z.number().min(0).max(1);
const wholeHours = z.number().int().positive();

/**
 * Every tunable limit of the quality checks in one object. Shares are fractions (0.99, not 99). A caller
 * (a workflow input, a test) overrides any subset; the result is validated as a whole so that, say, a warn
 * level stricter than its fail level is refused instead of silently never warning.
 */
export const qualityThresholds = z
  .object({
    completenessWarnBelow: share,
    completenessFailBelow: share,
    nullShareWarnAbove: share,
    nullShareFailAbove: share,
    maxStalenessHours: wholeHours,
    failStalenessHours: wholeHours,
    // A run of 2 would flag every plateau of a 0.1-resolution source, so a run means at least 3 hours.
    stuckRunWarnHours: z.number().int().min(3),
    stuckRunFailHours: z.number().int().min(3),
    indexTolerance: z.number().nonnegative(),
    indexOvershootTolerance: z.number().nonnegative(),
    indexWarnShareMax: share,
  })
  .refine((t) => t.completenessFailBelow <= t.completenessWarnBelow, {
    message: 'completenessFailBelow must not exceed completenessWarnBelow',
  })
  .refine((t) => t.nullShareWarnAbove <= t.nullShareFailAbove, {
    message: 'nullShareWarnAbove must not exceed nullShareFailAbove',
  })
  .refine((t) => t.maxStalenessHours <= t.failStalenessHours, {
    message: 'maxStalenessHours must not exceed failStalenessHours',
  })
  .refine((t) => t.stuckRunWarnHours <= t.stuckRunFailHours, {
    message: 'stuckRunWarnHours must not exceed stuckRunFailHours',
  });
export type QualityThresholds = z.infer<typeof qualityThresholds>;

export const defaultQualityThresholds: QualityThresholds = {
  /** Below 99 % of the expected (location, hour) rows a window warns: one missing hour in four days. */
  completenessWarnBelow: 0.99,
  /** Below 90 % it fails: too many holes for 24-hour averages and lag features to be trusted. */
  completenessFailBelow: 0.9,
  /** Per variable, more than 1 % nulls warns (a few missing model outputs are normal). */
  nullShareWarnAbove: 0.01,
  /** More than 10 % nulls fails: imputation would invent a tenth of the feature. */
  nullShareFailAbove: 0.1,
  /** In a window that reaches now, the newest hour may lag by this much (ingestion runs hourly, retries). */
  maxStalenessHours: 3,
  /**
   * Lagging by more than a day fails: the source or the ingestion has stopped. Needed because completeness
   * leaves a source-wide lag to this check (see completeness.ts), so a long outage must fail here.
   */
  failStalenessHours: 24,
  /** 3 identical hourly values in a row warn: a model output rarely repeats to 0.1 for 3 hours. */
  stuckRunWarnHours: 3,
  /** A full day of one value fails: the source is repeating its last value, not measuring. */
  stuckRunFailHours: 24,
  /**
   * Reported vs computed EAQI may differ by 1: some exports round the index to an integer, and the
   * platform's value is lower when NO2/O3 are missing from the source.
   */
  indexTolerance: 1,
  /** The platform may exceed the source only by rounding (0.5): more means its computation is wrong. */
  indexOvershootTolerance: 0.5,
  /** Up to 5 % inconsistent rows warn (isolated hours); more fails. */
  indexWarnShareMax: 0.05,
};

/** The defaults with `overrides` applied; an override left `undefined` keeps the default. */
export function resolveQualityThresholds(overrides: Partial<QualityThresholds> = {}): QualityThresholds {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const result = qualityThresholds.safeParse({ ...defaultQualityThresholds, ...given });
  if (!result.success) {
    throw new AppError('QUALITY_THRESHOLDS', `invalid quality thresholds: ${z.prettifyError(result.error)}`, {
      httpStatus: 400,
      cause: result.error,
    });
  }
  return result.data;
}

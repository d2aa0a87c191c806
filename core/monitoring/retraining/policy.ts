import { z } from 'zod';

/**
 * When evidence is enough to retrain a champion, each setting with its default and its reason. The worker
 * builds the policy from configuration (RETRAIN_*); a monitor run may override it (tests, a one-off check).
 */
export const retrainingDefaults = {
  /**
   * Live MAE more than 25 % above the version's holdout MAE. The holdout is one month of hours; a week of
   * live hours varies around it by a few percent (seasons and episodes), so a quarter is a real loss, not noise.
   */
  maeMargin: 0.25,
  /**
   * At least 72 distinct hours with their actual (three days) before live accuracy counts: fewer hours are
   * one pollution episode, whose errors are large for every model and say nothing about this one.
   */
  minHours: 72,
  /**
   * Dataset drift in the last 3 disjoint report windows, not in one: a week drawn from the training snapshot
   * itself is called drift in 32 % of draws (docs/benchmarks.md, "Champion monitoring"), three independent
   * weeks in about 3 %. Overlapping windows (the daily run's 7-day windows) are one piece of evidence, not several.
   */
  driftWindows: 3,
  /** After a retrain starts, later triggers for the same model join it for 7 days instead of starting another. */
  cooldown: '7d',
} as const;

export const retrainingPolicy = z
  .object({
    maeMargin: z.number().min(0).max(10),
    minHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
    driftWindows: z.number().int().min(1).max(12),
    /** Milliseconds. */
    cooldownMs: z.number().int().min(0),
  })
  .strict();
export type RetrainingPolicy = z.output<typeof retrainingPolicy>;

/** A monitor run's overrides: any subset of the policy. */
export const retrainingOverrides = retrainingPolicy.partial();
export type RetrainingOverrides = z.output<typeof retrainingOverrides>;

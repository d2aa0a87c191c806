import { z } from 'zod';

/**
 * The champion monitor's settings, each with its default, its reason and its source. The per-test
 * thresholds (p ≤ 0.05, distance ≥ 0.1, …) are Evidently's and live with the tests in `../drift/methods.ts`.
 */
export const monitoringDefaults = {
  /**
   * The current window: the last 7 days of stored hours (168 per location). A week holds every weekday
   * and the weekly traffic cycle once, so a Monday is not judged against a Sunday. The "last
   * window"; overridable per run (`windowDays`).
   */
  windowDays: 7,
  /**
   * Fewer cleaned values than this on either side and a column is "not enough data", never a drift.
   * Evidently's own floor is 1 value; with a handful of hours a two-sample p-value rests on a few points
   * and a day with one sensor down would raise false drifts. 30 is the usual large-sample rule of thumb
   * (the size from which a sample mean is treated as normal); a choice of this platform, not Evidently's.
   */
  minRows: 30,
  /** Dataset drift when at least half of the columns drifted: Evidently's DataDriftPreset `drift_share`. */
  driftShare: 0.5,
  /** Bars per histogram in the HTML report (shared edges for reference and current): for the eye only. */
  histogramBins: 12,
} as const;

export const monitoringSettings = z
  .object({
    windowDays: z.number().int().min(1).max(90).default(monitoringDefaults.windowDays),
    minRows: z.number().int().min(1).default(monitoringDefaults.minRows),
    driftShare: z.number().gt(0).max(1).default(monitoringDefaults.driftShare),
  })
  .strict();
export type MonitoringSettings = z.output<typeof monitoringSettings>;

import { z } from 'zod';

/**
 * The data-quality report: what the quality workflow stores in `quality_reports.checks` (jsonb) and
 * `quality_reports.verdict`, and what its activity returns through Temporal. Both cross a serialization
 * boundary, so the shape is a zod schema, not only a type.
 */

export const qualityStatuses = ['pass', 'warn', 'fail'] as const;
export const qualityStatus = z.enum(qualityStatuses);
export type QualityStatus = z.infer<typeof qualityStatus>;

/** Every check, in the order the report lists them. */
export const qualityCheckNames = [
  'completeness',
  'nulls',
  'ranges',
  'duplicates',
  'future_timestamps',
  'freshness',
  'stuck_values',
  'index_consistency',
] as const;
export type QualityCheckName = (typeof qualityCheckNames)[number];

/** A check keeps only a few offending cells: enough to find them in the data, small enough for jsonb. */
export const sampleLimit = 10;

export const qualitySample = z.object({
  locationId: z.string(),
  observedAt: z.string(),
  variable: z.string().optional(),
  value: z.number().optional(),
});
export type QualitySample = z.infer<typeof qualitySample>;

export const qualityCheck = z.object({
  name: z.enum(qualityCheckNames),
  status: qualityStatus,
  /** One line a person can read in the report table without opening the samples. */
  detail: z.string(),
  violations: z.number().int().nonnegative(),
  samples: z.array(qualitySample).max(sampleLimit),
});
export type QualityCheck = z.infer<typeof qualityCheck>;

export const qualityReport = z
  .object({
    verdict: qualityStatus,
    checks: z.array(qualityCheck),
    rowsChecked: z.number().int().nonnegative(),
  })
  // A stored report whose verdict disagrees with its checks was edited or corrupted: refuse it.
  .refine((report) => report.verdict === worstStatus(report.checks.map((c) => c.status)), {
    message: 'the verdict must be the worst status of the checks',
    path: ['verdict'],
  });
export type QualityReport = z.infer<typeof qualityReport>;

const severity: Readonly<Record<QualityStatus, number>> = { pass: 0, warn: 1, fail: 2 };

/** The most severe status; no status at all is a pass. */
export function worstStatus(statuses: readonly QualityStatus[]): QualityStatus {
  return statuses.reduce<QualityStatus>((worst, s) => (severity[s] > severity[worst] ? s : worst), 'pass');
}

/** Counts every violation a check finds but keeps only the first `sampleLimit` as samples. */
export class ViolationLog {
  count = 0;
  readonly samples: QualitySample[] = [];

  /** `weight` counts one sample for several violations, e.g. a gap of 6 hours sampled at its first hour. */
  add(sample: QualitySample, weight = 1): void {
    this.count += weight;
    if (this.samples.length < sampleLimit) this.samples.push(sample);
  }
}

/** A share as the report prints it, e.g. `97.9 %`. */
export const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

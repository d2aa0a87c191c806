import { type ColumnType, type DriftMethod } from './methods';
import { combinedUniqueCount, type Sample, sampleSize } from './sample';

/**
 * Evidently 0.7's default stat test for a column (`_get_default_stattest`, what DataDriftPreset uses when no
 * method is named), decided on the cleaned samples (`sample.ts`):
 *
 * | reference rows | numerical, unique values of both together   | categorical, same count   |
 * |----------------|---------------------------------------------|---------------------------|
 * | ≤ 1,000        | ≤ 2: z-test; 3–5: chi-square; > 5: KS        | ≤ 2: z-test; else chi-square |
 * | > 1,000        | ≤ 5: Jensen-Shannon; > 5: Wasserstein (normed) | Jensen-Shannon          |
 *
 * Numerical vs categorical is the column's declared type (Evidently's DataDefinition). Text columns (a
 * classifier-based test in Evidently) and datetime columns (never tested by the preset) are not supported.
 */

/** At most this many reference rows counts as a small reference. */
export const smallReferenceRows = 1000;
/** A numerical column with at most this many unique values is tested as counts. */
export const fewValues = 5;

export function defaultMethod(type: ColumnType, reference: Sample, current: Sample): DriftMethod {
  const unique = combinedUniqueCount(reference, current, fewValues + 1);
  if (sampleSize(reference) <= smallReferenceRows) {
    if (type === 'numerical' && unique > fewValues) return 'ks';
    return unique > 2 ? 'chisquare' : 'z';
  }
  if (type === 'numerical' && unique > fewValues) return 'wasserstein';
  return 'jensenshannon';
}

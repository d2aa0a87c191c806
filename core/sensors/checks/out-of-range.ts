/**
 * Out of range and sentinel values (QARTOD gross range test; PA-II spec / pat_qc limits; AirNow −999).
 * A value outside what the sensor can measure, or a code standing for "no value", is not a measurement:
 * it is flagged and kept out of every other check of that measurement.
 */
export interface RangeViolation {
  reason: 'sentinel' | 'below_min' | 'above_max';
  /** The bound crossed (absent for a sentinel). */
  bound?: number;
  /** 1 at the bound, growing by 1 per range width beyond it; 1 for a sentinel. */
  score: number;
}

export function rangeViolation(
  value: number,
  range: { min: number; max: number },
  sentinels: readonly number[],
): RangeViolation | undefined {
  if (sentinels.includes(value)) return { reason: 'sentinel', score: 1 };
  const width = range.max - range.min;
  if (value < range.min) return { reason: 'below_min', bound: range.min, score: 1 + (range.min - value) / width };
  if (value > range.max) return { reason: 'above_max', bound: range.max, score: 1 + (value - range.max) / width };
  return undefined;
}

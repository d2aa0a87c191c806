/**
 * Rate of change (QARTOD rate of change test; EPA screening's adjacent-value test): the change between a
 * measurement's consecutive plausible readings, per minute. The elapsed time is at least one expected
 * interval, so two readings a second apart are not read as a 60-fold rate, and a change across a gap is
 * spread over the gap.
 */
export interface RateViolation {
  perMinute: number;
  /** The rate over the limit (> 1 when violated). */
  score: number;
}

export function rateViolation(
  previous: { value: number; ms: number },
  current: { value: number; ms: number },
  maxChangePerMinute: number,
  expectedIntervalMs: number,
): RateViolation | undefined {
  const minutes = Math.max(current.ms - previous.ms, expectedIntervalMs) / 60_000;
  const perMinute = Math.abs(current.value - previous.value) / minutes;
  return perMinute > maxChangePerMinute ? { perMinute, score: perMinute / maxChangePerMinute } : undefined;
}

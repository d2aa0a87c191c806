import gammainc from '@stdlib/math-base-special-gammainc';

import { type Category } from './sample';

/**
 * Evidently's "chisquare" stat test (drift when p < 0.05): Pearson's goodness-of-fit test of the current
 * counts against the reference counts scaled to the current size, over every category seen in either
 * sample (`f_exp = ref_count · n_cur / n_ref`, scipy's `chisquare(f_obs, f_exp)`, k − 1 degrees of freedom).
 * A category absent from the reference has an expected count of 0, so its term is infinite and p = 0, as
 * numpy's division by zero makes it. The chi-square survival function is the regularized upper incomplete
 * gamma function Q(df/2, x/2), from stdlib's port of Boost's `gamma_q`.
 */

export function chiSquareSf(x: number, degreesOfFreedom: number): number {
  if (Number.isNaN(x) || !(degreesOfFreedom > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x <= 0) return 1;
  return gammainc(x / 2, degreesOfFreedom / 2, true, true);
}

export function chiSquarePValue(
  reference: ReadonlyMap<Category, number>,
  referenceSize: number,
  current: ReadonlyMap<Category, number>,
  currentSize: number,
): number {
  const keys = new Set([...reference.keys(), ...current.keys()]);
  const scale = currentSize / referenceSize;
  let statistic = 0;
  for (const key of keys) {
    const expected = (reference.get(key) ?? 0) * scale;
    const observed = current.get(key) ?? 0;
    statistic += ((observed - expected) * (observed - expected)) / expected;
  }
  return chiSquareSf(statistic, keys.size - 1);
}

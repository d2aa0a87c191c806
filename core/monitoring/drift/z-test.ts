import erfc from '@stdlib/math-base-special-erfc';

import { type Category } from './sample';

/**
 * Evidently's "z" stat test (drift when p < 0.05): the two-proportion z-test on the share of rows that are
 * not the first category (sorted), pooled variance, two-sided p = 2·(1 − Φ(|z|)), computed in that form as
 * scipy's `norm.cdf` does (so a p-value below ~1e-16 is 0, as there). Which category is "first" does not
 * change a two-sided p-value when there are two; with one category on both sides that is the same value,
 * p is 1 by Evidently's explicit rule.
 */

/** Φ(x) for x ≥ 0, as scipy's `ndtr`: 1 − erfc(x/√2)/2. */
function normalCdf(x: number): number {
  return 1 - 0.5 * erfc(x / Math.SQRT2);
}

/** Categories in Python's `sorted` order for one type: numbers by value, strings by code point. */
function compareCategories(a: Category, b: Category): number {
  if (typeof a === typeof b) {
    if (typeof a === 'string') {
      const x = [...a];
      const y = [...(b as string)];
      for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
        const diff = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
        if (diff !== 0) return diff;
      }
      return x.length - y.length;
    }
    return Number(a) - Number(b);
  }
  return typeof a < typeof b ? -1 : 1;
}

export function zTestPValue(
  reference: ReadonlyMap<Category, number>,
  referenceSize: number,
  current: ReadonlyMap<Category, number>,
  currentSize: number,
): number {
  const keys = [...new Set([...reference.keys(), ...current.keys()])].sort(compareCategories);
  if (reference.size === 1 && current.size === 1 && keys.length === 1) return 1;
  const first = keys[0] as Category;
  const p1 = (referenceSize - (reference.get(first) ?? 0)) / referenceSize;
  const p2 = (currentSize - (current.get(first) ?? 0)) / currentSize;
  const pooled = (p1 * referenceSize + p2 * currentSize) / (referenceSize + currentSize);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / referenceSize + 1 / currentSize));
  return 2 * (1 - normalCdf(Math.abs(z)));
}

/**
 * Evidently's "jensenshannon" stat test (drift when the distance is ≥ 0.1): scipy's
 * `distance.jensenshannon(p, q)` with the natural logarithm over the shares of `binning.ts` (no replacement
 * of empty bins): both share vectors renormalized to sum 1, m = (p + q)/2, the distance
 * √((KL(p‖m) + KL(q‖m)) / 2), each KL term x·ln(x/m) and 0 where x = 0. Rounding can make the sum a hair
 * below 0 for identical shares; scipy's square root then gives NaN (never a drift), this gives 0 (never a
 * drift at any positive threshold).
 */

function relativeEntropyTerms(x: Float64Array, xSum: number, m: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i += 1) {
    const value = (x[i] as number) / xSum;
    if (value > 0) sum += value * Math.log(value / (m[i] as number));
  }
  return sum;
}

export function jensenShannonDistance(p: Float64Array, q: Float64Array): number {
  let pSum = 0;
  let qSum = 0;
  for (const value of p) pSum += value;
  for (const value of q) qSum += value;
  const m = new Float64Array(p.length);
  for (let i = 0; i < p.length; i += 1) m[i] = ((p[i] as number) / pSum + (q[i] as number) / qSum) / 2;
  const js = relativeEntropyTerms(p, pSum, m) + relativeEntropyTerms(q, qSum, m);
  return Math.sqrt(Math.max(js, 0) / 2);
}

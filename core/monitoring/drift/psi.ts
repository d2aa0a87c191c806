/**
 * Evidently's "psi" stat test (the Population Stability Index; drift when it is ≥ 0.1), never chosen by
 * default: Σ (ref − cur) · ln(ref / cur) over the shares of `binning.ts`, after Evidently's zero-bin rule,
 * applied to each side on its own: an empty bin gets 0.0001, or the side's smallest non-empty share / 10⁶
 * when that share is itself ≤ 0.0001, so no logarithm sees 0.
 */

function fillZeros(shares: Float64Array): Float64Array {
  let smallest = Number.POSITIVE_INFINITY;
  for (const share of shares) if (share !== 0 && share < smallest) smallest = share;
  const replacement = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  return shares.map((share) => (share === 0 ? replacement : share));
}

export function populationStabilityIndex(reference: Float64Array, current: Float64Array): number {
  const ref = fillZeros(reference);
  const cur = fillZeros(current);
  let psi = 0;
  for (let i = 0; i < ref.length; i += 1) {
    const r = ref[i] as number;
    const c = cur[i] as number;
    psi += (r - c) * Math.log(r / c);
  }
  return psi;
}

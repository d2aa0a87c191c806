/**
 * Evidently's "wasserstein" stat test (`wasserstein_distance_norm`, drift when the value is ≥ 0.1): scipy's
 * first Wasserstein distance between the two samples, divided by the reference's population standard
 * deviation (numpy's `np.std`, ddof 0), floored at 0.001 so a constant reference does not divide by zero.
 *
 * W₁ = ∫ |F_ref(x) − F_cur(x)| dx over the merged sorted values: between two consecutive distinct values
 * both empirical CDFs are constant, so the integral is a sum of |ΔF| · gap, in one pass over both samples.
 */

/** Both samples sorted ascending, finite, non-empty. */
export function wassersteinDistance(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  let distance = 0;
  let i = 0;
  let j = 0;
  let previous = Math.min(u[0] as number, v[0] as number);
  while (i < nu || j < nv) {
    const value = j >= nv || (i < nu && (u[i] as number) <= (v[j] as number)) ? (u[i] as number) : (v[j] as number);
    // The CDFs hold their values from `previous` up to `value`.
    distance += Math.abs(i / nu - j / nv) * (value - previous);
    while (i < nu && u[i] === value) i += 1;
    while (j < nv && v[j] === value) j += 1;
    previous = value;
  }
  return distance;
}

/** numpy's `np.std(x)`: the population standard deviation, from the mean in a second pass. */
export function populationStd(x: Float64Array): number {
  let sum = 0;
  for (const value of x) sum += value;
  const mean = sum / x.length;
  let squares = 0;
  for (const value of x) squares += (value - mean) * (value - mean);
  return Math.sqrt(squares / x.length);
}

/** The smallest divisor Evidently allows: a constant reference is compared at this scale. */
export const minNorm = 0.001;

export function normedWasserstein(reference: Float64Array, current: Float64Array): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), minNorm);
}

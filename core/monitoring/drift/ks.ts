import { kolmogorovSf } from './kolmogorov';

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, with the p-value scipy's `ks_2samp(a, b)` computes by
 * default (method "auto"), which is what Evidently's "ks" stat test returns (drift when p ≤ 0.05):
 *
 * - The statistic D is the largest distance between the two empirical CDFs, looked at on every value of
 *   both samples (ties handled by counting values ≤ x). scipy takes the larger of max(F₁ − F₂) and
 *   max(F₂ − F₁) in floating point; so does this.
 * - Exact p-value when both samples have at most 10,000 values. D is a multiple of 1/lcm(n₁, n₂), so the
 *   test counts monotone lattice paths from (0, 0) to (n₁, n₂) that leave the band |x/n₁ − y/n₂| < D:
 *   - n₁ = n₂ = n: the reflection formula P = 2 Σ_{k≥1} (−1)^(k−1) C(2n, n − kh)/C(2n, n) with h = nD,
 *     evaluated from the innermost term outwards so no alternating cancellation occurs;
 *   - otherwise the "inside method" (Hodges 1958) run on proportions instead of counts (Viehmann 2021):
 *     U(i, j), the share of paths to (i, j) that have already left the band, obeys
 *     U(i, j) = (i·U(i−1, j) + j·U(i, j−1)) / (i + j) inside it and is 1 outside; p = U(n₁, n₂).
 *   scipy falls back to the asymptotic value if the exact one is not in [0, 1]; both recursions here stay
 *   in [0, 1] by construction, and the fallback is kept for the same rule.
 * - Otherwise the asymptotic p-value: the one-sample distribution P(Dₙ ≥ D) at n = round(n₁n₂/(n₁ + n₂))
 *   (round half to even, as numpy does), see `kolmogorov.ts`.
 */

export interface KsResult {
  statistic: number;
  pValue: number;
  pValueMethod: 'exact' | 'asymptotic';
}

/** scipy's MAX_AUTO_N: beyond it "auto" stops computing the exact p-value. */
export const maxExactSize = 10000;

/** Both samples sorted ascending, finite, non-empty. */
export function ksTwoSample(a: Float64Array, b: Float64Array): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ksTwoSample needs two non-empty samples');

  // Walk both sorted samples once; at each distinct value both counts of values ≤ it are known.
  let maxDiff = Number.NEGATIVE_INFINITY;
  let minDiff = Number.POSITIVE_INFINITY;
  let maxCross = 0; // n1·n2·(F1 − F2) at the max, in integers: the exact lattice distance
  let minCross = 0;
  for (let i = 0, j = 0; i < n1 || j < n2;) {
    const value = j >= n2 || (i < n1 && (a[i] as number) <= (b[j] as number)) ? (a[i] as number) : (b[j] as number);
    while (i < n1 && a[i] === value) i += 1;
    while (j < n2 && b[j] === value) j += 1;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) {
      maxDiff = diff;
      maxCross = i * n2 - j * n1;
    }
    if (diff < minDiff) {
      minDiff = diff;
      minCross = i * n2 - j * n1;
    }
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  const useMin = minS > maxDiff;
  const statistic = useMin ? minS : maxDiff;

  if (Math.max(n1, n2) <= maxExactSize) {
    const g = gcd(n1, n2);
    // D·lcm(n1, n2) is an integer: the cross count divided by gcd.
    const h = Math.abs(useMin ? Math.min(minCross, 0) : maxCross) / g;
    if (h === 0) return { statistic: 0, pValue: 1, pValueMethod: 'exact' };
    const p = n1 === n2 ? outsideSquare(n1, h) : outsideBand(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: h / ((n1 / g) * n2), pValue: p, pValueMethod: 'exact' };
  }

  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const effective = roundHalfEven((m * n) / (m + n));
  return {
    statistic,
    pValue: Math.min(1, Math.max(0, kolmogorovSf(effective, statistic))),
    pValueMethod: 'asymptotic',
  };
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * n₁ = n₂ = n, D = h/n: P(D ≥ h/n) = 2(A₁ − A₁A₂ + A₁A₂A₃ − …) with Aₖ the ratio of consecutive binomial
 * terms, computed as 2·A₁(1 − A₂(1 − A₃(…))) from the last k = ⌊n/h⌋ down; each Aₖ is a product of h ratios.
 */
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k -= 1) {
    let ratio = 1;
    for (let j = 0; j < h; j += 1) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * n₁ ≠ n₂: the share of lattice paths from (0, 0) to (m, n), m ≥ n, that touch |x·n/g − y·m/g| ≥ h, where
 * g = gcd and h = D·lcm. One column of U at a time, in place, only over the rows j inside the band for
 * column i (mg·j within h of ng·i); rows below the band are set to 1 as the band moves up.
 */
function outsideBand(n1: number, n2: number, g: number, h: number): number {
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const mg = m / g;
  const ng = n / g;
  const u = new Float64Array(n + 1).fill(1);
  // Column 0: the straight path up stays inside while mg·j < h.
  let low = 0;
  let high = Math.min(Math.ceil(h / mg), n + 1);
  u.fill(0, 0, high);
  for (let i = 1; i <= m; i += 1) {
    const nextLow = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    const nextHigh = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (nextHigh <= nextLow) return 1;
    u.fill(1, low, nextLow); // left the band from below
    u.fill(1, high, nextHigh); // never reached before: outside until now
    low = nextLow;
    high = nextHigh;
    let below = low === 0 ? 0 : 1; // U(i, low − 1): outside the band unless there is no such row
    for (let j = low; j < high; j += 1) {
      below = ((u[j] as number) * i + below * j) / (i + j);
      u[j] = below;
    }
  }
  return u[n] as number;
}

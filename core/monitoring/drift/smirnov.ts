/**
 * The one-sided Kolmogorov-Smirnov (Smirnov) survival function P(D⁺ₙ ≥ x) for a sample of n, which scipy
 * calls `scipy.special.smirnov(n, x)` and uses, doubled, for the tail of the two-sided distribution
 * (`kolmogorov.ts`). Written from the Birnbaum–Tingey formula
 *
 *   P(D⁺ₙ ≥ x) = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) · (1 − x − v/n)^(n−v) · (x + v/n)^(v−1)
 *
 * whose terms are all positive, so a plain sum in log space keeps about 12 significant digits (scipy's C
 * version carries double-double arithmetic for the last few; the drift tests need 6). The closed forms at
 * the ends are the same as scipy's: x ≤ 1/n gives 1 − x(1 + x)^(n−1), x ≥ 1 − 1/n gives (1 − x)^n.
 */

/** Below this exp() gives 0 in double precision. */
const minLog = -745.1332191019412;

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0) || !(x >= 0 && x <= 1) || !Number.isInteger(n)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  if (n * x <= 1) return clamp(1 - x * Math.pow(1 + x, n - 1));
  if (-2 * n * x * x < minLog) return 0;
  if (n * x >= n - 1) return clamp(Math.pow(1 - x, n));

  let logBinomial = 0; // log C(n, v), updated as v grows
  let sum = 0;
  for (let v = 0; v <= n; v += 1) {
    const below = (n - v) / n - x; // 1 − x − v/n: the last term is where it reaches 0
    if (below <= 0) break;
    const above = x + v / n;
    sum += Math.exp(logBinomial + (n - v) * Math.log(below) + (v - 1) * Math.log(above));
    logBinomial += Math.log((n - v) / (v + 1));
  }
  return clamp(x * sum);
}

function clamp(p: number): number {
  return Math.min(1, Math.max(0, p));
}

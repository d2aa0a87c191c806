import { smirnovSf } from './smirnov';

/**
 * The two-sided one-sample Kolmogorov-Smirnov distribution for a finite sample, P(Dₙ ≥ d): scipy's
 * `stats.kstwo.sf(d, n)`. scipy's `ks_2samp` uses it for its asymptotic two-sample p-value (at
 * n = round(n₁n₂/(n₁+n₂))) once the larger sample has more than 10,000 values, so drift reports with a
 * small reference and a large current window go through here.
 *
 * Which method answers where is Simard & L'Ecuyer's (2011) plan, as scipy's `_kolmogn` applies it:
 * - nd ≤ 1 and nd ≥ n − 1: Ruben–Gambino's closed forms;
 * - d ≥ 0.5: exactly twice the one-sided tail (the two tails cannot both be crossed);
 * - n ≤ 140: Durbin's matrix (Marsaglia–Tsang–Wang) for nd² ≤ 0.754693, Pomeranz's recursion for
 *   nd² ≤ 4, twice the one-sided tail beyond;
 * - n > 140: 0 for nd² ≥ 370, twice the one-sided tail for nd² ≥ 2.2, else Durbin's matrix while
 *   n·d^1.5 ≤ 1.4 and Pelz–Good's asymptotic series otherwise.
 * The survival function is 1 − CDF wherever the method computes the CDF, as in scipy.
 */
export function kolmogorovSf(n: number, d: number): number {
  return kolmogorov(n, d).sf;
}

/** P(Dₙ ≤ d): scipy's `stats.kstwo.cdf(d, n)`, the same plan from the other side. */
export function kolmogorovCdf(n: number, d: number): number {
  return kolmogorov(n, d).cdf;
}

/**
 * Each method yields one tail, accurate where that tail is small; the other is 1 minus it (as in scipy, which
 * also cuts the SF to 0 beyond nd² ≥ 370 and computes it from Smirnov's tail from nd² ≥ 2.2 when n > 140).
 */
function kolmogorov(n: number, d: number): { sf: number; cdf: number } {
  const fromCdf = (cdf: number) => ({ cdf: clamp(cdf), sf: clamp(1 - cdf) });
  const fromSf = (sf: number) => ({ cdf: clamp(1 - sf), sf: clamp(sf) });
  if (!(n >= 1) || !Number.isInteger(n) || Number.isNaN(d)) return { sf: Number.NaN, cdf: Number.NaN };
  if (d >= 1) return fromCdf(1);
  if (d <= 0) return fromCdf(0);
  const t = n * d;
  if (t <= 1) return fromCdf(t <= 0.5 ? 0 : rubenGambinoCdf(n, t));
  if (t >= n - 1) return fromSf(2 * Math.pow(1 - d, n));
  if (d >= 0.5) return fromSf(2 * smirnovSf(n, d));

  const ndSquared = t * d;
  if (n <= 140) {
    if (ndSquared <= 0.754693) return fromCdf(clamp(durbinCdf(n, d)));
    if (ndSquared <= 4) return fromCdf(clamp(pomeranzCdf(n, d)));
    return fromSf(2 * smirnovSf(n, d));
  }
  const cdf = ndSquared >= 18 ? 1 : n <= 100000 && n * Math.pow(d, 1.5) <= 1.4 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  if (ndSquared >= 370) return { cdf: clamp(cdf), sf: 0 };
  if (ndSquared >= 2.2) return { cdf: clamp(cdf), sf: clamp(2 * smirnovSf(n, d)) };
  return fromCdf(clamp(cdf));
}

/** P(Dₙ ≤ d) for 1/(2n) < d ≤ 1/n: n!/nⁿ · (2nd − 1)ⁿ. As a product up to n = 140, in logs beyond. */
function rubenGambinoCdf(n: number, t: number): number {
  const base = 2 * t - 1;
  if (n <= 140) {
    let p = 1;
    for (let i = 1; i <= n; i += 1) p *= i * (1 / n) * base;
    return p;
  }
  let log = n * Math.log(base);
  for (let i = 1; i <= n; i += 1) log += Math.log(i / n);
  return Math.exp(log);
}

const scaleExponent = 128;
const bigScale = Math.pow(2, scaleExponent);
const smallScale = Math.pow(2, -scaleExponent);

/** x · 2^e without overflowing on the way (e can reach thousands here). */
function ldexp(x: number, e: number): number {
  let value = x;
  let rest = e;
  while (rest > 1000) {
    value *= Math.pow(2, 1000);
    rest -= 1000;
  }
  while (rest < -1000) {
    value *= Math.pow(2, -1000);
    rest += 1000;
  }
  return value * Math.pow(2, rest);
}

type Matrix = Float64Array[];

function multiply(a: Matrix, b: Matrix): Matrix {
  const m = a.length;
  const out: Matrix = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 0; i < m; i += 1) {
    const row = a[i] as Float64Array;
    const target = out[i] as Float64Array;
    for (let k = 0; k < m; k += 1) {
      const aik = row[k] as number;
      if (aik === 0) continue;
      const other = b[k] as Float64Array;
      for (let j = 0; j < m; j += 1) target[j] = (target[j] as number) + aik * (other[j] as number);
    }
  }
  return out;
}

/**
 * Durbin's matrix method (1968) in Marsaglia, Tsang & Wang's form (2003): with d = (k − h)/n, 0 ≤ h < 1,
 * P(Dₙ < d) = n!/nⁿ · (Hⁿ)ₖₖ for an m × m matrix H (m = 2k − 1) built from h. The power is taken by
 * squaring, with H rescaled by 2^±128 whenever its central entry grows past 2^128 and the exponent kept apart.
 */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  // w[j] = 1/j!; v[j] = (1 − h^(j+1)) / (j+1)!, its last entry corrected for the corner.
  const w = new Float64Array(m);
  const v = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j += 1) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * factorial;
  }
  v[m - 1] = (1 + Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m)) * factorial;

  let power: Matrix = Array.from({ length: m }, () => new Float64Array(m));
  for (let r = 0; r < m; r += 1) {
    const row = power[r] as Float64Array;
    for (let c = 1; c < m; c += 1) if (r >= c - 1) row[c] = w[r - c + 1] as number;
    row[0] = v[r] as number;
  }
  const lastRow = power[m - 1] as Float64Array;
  for (let c = 0; c < m; c += 1) lastRow[c] = v[m - 1 - c] as number;

  let result: Matrix = Array.from({ length: m }, (_, i) => {
    const row = new Float64Array(m);
    row[i] = 1;
    return row;
  });
  let exponent = 0;
  let powerExponent = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) {
      result = multiply(result, power);
      exponent += powerExponent;
    }
    power = multiply(power, power);
    powerExponent *= 2;
    if (Math.abs((power[k - 1] as Float64Array)[k - 1] as number) > bigScale) {
      for (const row of power) for (let c = 0; c < m; c += 1) row[c] = (row[c] as number) / bigScale;
      powerExponent += scaleExponent;
    }
  }

  let p = (result[k - 1] as Float64Array)[k - 1] as number;
  for (let i = 1; i <= n; i += 1) {
    p = (i * p) / n;
    if (Math.abs(p) < smallScale) {
      p *= bigScale;
      exponent -= scaleExponent;
    }
  }
  return exponent === 0 ? p : ldexp(p, exponent);
}

/** The [first, last] columns of row i of Pomeranz's table that can be non-zero. */
function pomeranzBounds(i: number, n: number, whole: number, ceilF: number, roundF: number): [number, number] {
  let first: number;
  let last: number;
  if (i === 0) {
    first = -whole - ceilF - 1;
    last = whole + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        first = n - whole - ceilF - 1;
        last = n + whole + ceilF - 1;
      } else {
        first = half - 1 - whole - roundF - 1;
        last = half + whole - 1 + ceilF - 1;
      }
    } else {
      first = half - 1 - whole - 1;
      last = half + whole + roundF - 1;
    }
  }
  return [Math.max(first + 2, 0), Math.min(last, n)];
}

/** numpy's `a[start:end]` for a typed array: clamped, never wrapping (the indices here are never negative). */
function slice(a: Float64Array, start: number, end: number): Float64Array {
  return a.subarray(Math.min(Math.max(start, 0), a.length), Math.min(Math.max(end, 0), a.length));
}

/** The full discrete convolution (numpy's `convolve`, mode "full"). */
function convolve(a: Float64Array, b: Float64Array): Float64Array {
  if (a.length === 0 || b.length === 0) return new Float64Array(0);
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i += 1) {
    const ai = a[i] as number;
    for (let j = 0; j < b.length; j += 1) out[i + j] = (out[i + j] as number) + ai * (b[j] as number);
  }
  return out;
}

/**
 * Pomeranz's recursion (1974): P(Dₙ ≤ d) = n! · V[2n+1][n], each row of V the convolution of the one before
 * with Poisson-like weights (g/n)^m/m!, (2g/n)^m/m! or ((1−2g)/n)^m/m!, where g is the distance of nd to its
 * nearest integer. Only a window of each row can be non-zero; rows are rescaled by 2^128 when they underflow.
 */
function pomeranzCdf(n: number, d: number): number {
  const t = n * d;
  const whole = Math.floor(t);
  const fraction = t - whole;
  const g = Math.min(fraction, 1 - fraction);
  const ceilF = fraction > 0 ? 1 : 0;
  const roundF = fraction > 0.5 ? 1 : 0;
  const powers = 2 * (whole + 1);
  const gPower = new Float64Array(powers);
  const twoGPower = new Float64Array(powers);
  const oneMinusTwoGPower = new Float64Array(powers);
  gPower[0] = 1;
  twoGPower[0] = 1;
  oneMinusTwoGPower[0] = 1;
  for (let m = 1; m < powers; m += 1) {
    gPower[m] = ((gPower[m - 1] as number) * (g / n)) / m;
    twoGPower[m] = ((twoGPower[m - 1] as number) * ((2 * g) / n)) / m;
    oneMinusTwoGPower[m] = ((oneMinusTwoGPower[m - 1] as number) * ((1 - 2 * g) / n)) / m;
  }

  let previous = new Float64Array(powers);
  let current = new Float64Array(powers);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let exponent = 0;
  let [first, last] = pomeranzBounds(0, n, whole, ceilF, roundF);
  for (let i = 1; i <= 2 * n + 1; i += 1) {
    const lastFirst = first;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [first, last] = pomeranzBounds(i, n, whole, ceilF, roundF);
    const weights = i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const span = last - lastFirst + 1;
    if (span > 0) {
      const from = lastFirst - previousStart;
      const conv = convolve(slice(previous, from, from + span), slice(weights, 0, span));
      const used = slice(conv, first - lastFirst, first - lastFirst + (last - first + 1));
      current.set(used.subarray(0, Math.min(used.length, current.length)));
      let max = Number.NEGATIVE_INFINITY;
      for (const value of current) if (value > max) max = value;
      if (max > 0 && max < smallScale) {
        for (let j = 0; j < current.length; j += 1) current[j] = (current[j] as number) * bigScale;
        exponent -= scaleExponent;
      }
      currentStart = previousStart + first - lastFirst;
    }
  }

  let answer = current[n - currentStart] ?? 0;
  for (let m = 1; m <= n; m += 1) {
    if (Math.abs(answer) > bigScale) {
      answer *= smallScale;
      exponent += scaleExponent;
    }
    answer *= m;
  }
  return exponent === 0 ? answer : ldexp(answer, exponent);
}

/**
 * Pelz & Good's (1976) series for P(Dₙ ≤ d): Li-Chien and Korolyuk's expansion K₀ + K₁/√n + K₂/n + K₃/n^1.5
 * in z = d√n, each Kᵢ rewritten with Jacobi theta identities so it converges fast for small z.
 */
function pelzGoodCdf(n: number, d: number): number {
  if (d <= 0) return 0;
  if (d >= 1) return 1;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qLog = -pi2 / 8 / z2;
  if (qLog < -708) return 0;
  let q = Math.exp(qLog);

  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * Math.pow(z, 8);

  // Σ over odd m = 2k − 1 of c(m)·q^(m²), by Horner's scheme in q^8k.
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k >= 1; k -= 1) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = Math.pow(q, 8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i += 1) terms[i] = (terms[i] as number) * qPower + (coefficients[i] as number);
  }
  const divisors = [z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)];
  for (let i = 0; i < 4; i += 1) terms[i] = ((terms[i] as number) * q * sqrt2pi) / (divisors[i] as number);

  // The sums over all integers k that K₂ and K₃ also carry.
  q = Math.exp(-pi2 / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k >= 1; k -= 1) {
    const k2 = k * k;
    const qk = Math.pow(q, k2);
    k2Extra += k2 * qk;
    k3Extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qk;
  }
  terms[2] = (terms[2] as number) + (k2Extra * pi2 * sqrt2pi) / (-36 * z3);
  terms[3] = (terms[3] as number) + (k3Extra * pi2 * sqrt2pi) / (216 * z6);

  let cdf = 0;
  for (let i = 0; i < 4; i += 1) cdf += (terms[i] as number) / Math.pow(n, i / 2);
  return cdf;
}

function clamp(p: number): number {
  return Math.min(1, Math.max(0, p));
}

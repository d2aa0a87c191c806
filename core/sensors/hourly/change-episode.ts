/**
 * Where, in a window of hourly pairs (sensor x, reference r, time t in days), the sensor's calibration
 * changed for a while, and how: the sensor fitted as x = a + b·r + c·g(t) by least squares, with g one of
 * four episode shapes between a first and a last hour (0 outside them, so the sensor may come back):
 * - `offset` `ramp`: g = t − t₁, an offset growing steadily (zero drift);
 * - `gain` `ramp`: g = r·(t − t₁), a sensitivity growing or fading steadily (span drift);
 * - `offset` `step`: g = 1, an offset appearing at once (½ in the hour on each side: the hour a step happens
 *   in averages the two levels);
 * - `gain` `step`: g = r, a sensitivity changing at once (½·r on each side).
 * The sensor's own line (a, b) is fitted with the episode, from the hours around it, so no earlier
 * calibration is needed; `bestEpisode` tries every first and last hour and keeps the smallest residual sum
 * of squares. Every sum it needs is a difference of prefix sums, so one candidate costs O(1) and a window
 * of n hours O(n²).
 */

export type EpisodeKind = 'offset' | 'gain';
export type EpisodeShape = 'ramp' | 'step';

export interface EpisodePair {
  /** Days since the window's first hour. */
  t: number;
  reference: number;
  sensor: number;
}

export interface Episode {
  kind: EpisodeKind;
  shape: EpisodeShape;
  /** Indexes of the first and last pair of the episode. */
  first: number;
  last: number;
  /** The sensor's own line outside the episode: x = intercept + slope·r. */
  intercept: number;
  slope: number;
  /** The episode's coefficient c. */
  coefficient: number;
  /**
   * The change at the episode's last hour, on the reference's scale: for an offset, c·(t₂ − t₁) (ramp) or c
   * (step) divided by the slope; for a gain, the relative change of the sensitivity, c·(t₂ − t₁)/b or c/b.
   */
  change: number;
  rss: number;
}

/** The residual sum of squares of the sensor's line alone (no episode), or undefined when it cannot be fitted. */
export function lineRss(pairs: readonly EpisodePair[]): number | undefined {
  const s = totals(pairs);
  const det = s.n * s.rr - s.r * s.r;
  if (pairs.length < 3 || det <= 0) return undefined;
  const slope = (s.n * s.xr - s.r * s.x) / det;
  const intercept = (s.x - slope * s.r) / s.n;
  return Math.max(0, s.xx - intercept * s.x - slope * s.xr);
}

/**
 * The episode of this kind and shape that fits best, lasting at least `minHours` pairs and leaving at
 * least `minOutside` pairs outside it (the hours the sensor's own line is fitted on); undefined when no
 * candidate can be fitted. Earliest first hour, then shortest, on ties.
 */
export function bestEpisode(
  pairs: readonly EpisodePair[],
  kind: EpisodeKind,
  shape: EpisodeShape,
  options: { minHours: number; minOutside: number },
): Episode | undefined {
  const n = pairs.length;
  const prefix = prefixSums(pairs);
  const all = totals(pairs);
  let best: Episode | undefined;
  for (let first = 0; first < n; first++) {
    for (let last = first + options.minHours - 1; last < n; last++) {
      if (n - (last - first + 1) < options.minOutside) continue;
      const fit = fitEpisode(prefix, all, pairs, kind, shape, first, last);
      if (fit !== undefined && (best === undefined || fit.rss < best.rss)) best = fit;
    }
  }
  return best;
}

interface Totals {
  n: number;
  r: number;
  rr: number;
  x: number;
  xr: number;
  xx: number;
}

function totals(pairs: readonly EpisodePair[]): Totals {
  const s: Totals = { n: 0, r: 0, rr: 0, x: 0, xr: 0, xx: 0 };
  for (const p of pairs) {
    s.n += 1;
    s.r += p.reference;
    s.rr += p.reference * p.reference;
    s.x += p.sensor;
    s.xr += p.sensor * p.reference;
    s.xx += p.sensor * p.sensor;
  }
  return s;
}

/** Running sums (index i holds the sum over pairs 0..i−1) of every product the episode regressors need. */
const sumNames = ['one', 't', 'tt', 'r', 'rt', 'rr', 'rrt', 'rrtt', 'x', 'xt', 'xr', 'xrt'] as const;
type SumName = (typeof sumNames)[number];
type Prefix = Record<SumName, Float64Array>;

function prefixSums(pairs: readonly EpisodePair[]): Prefix {
  const prefix = Object.fromEntries(sumNames.map((k) => [k, new Float64Array(pairs.length + 1)])) as Prefix;
  pairs.forEach(({ t, reference: r, sensor: x }, i) => {
    const terms: Record<SumName, number> = {
      one: 1,
      t,
      tt: t * t,
      r,
      rt: r * t,
      rr: r * r,
      rrt: r * r * t,
      rrtt: r * r * t * t,
      x,
      xt: x * t,
      xr: x * r,
      xrt: x * r * t,
    };
    for (const k of sumNames) prefix[k][i + 1] = (prefix[k][i] as number) + terms[k];
  });
  return prefix;
}

function fitEpisode(
  prefix: Prefix,
  all: Totals,
  pairs: readonly EpisodePair[],
  kind: EpisodeKind,
  shape: EpisodeShape,
  first: number,
  last: number,
): Episode | undefined {
  const to = last + 1;
  const sum = (column: Float64Array) => (column[to] as number) - (column[first] as number);
  const h = (pairs[first] as EpisodePair).t;
  // Sums over the episode of g, g·r, g² and g·x for the shape's regressor g.
  let g: number;
  let gr: number;
  let gg: number;
  let gx: number;
  if (kind === 'offset' && shape === 'ramp') {
    const one = sum(prefix.one);
    const t = sum(prefix.t);
    g = t - h * one;
    gr = sum(prefix.rt) - h * sum(prefix.r);
    gg = sum(prefix.tt) - 2 * h * t + h * h * one;
    gx = sum(prefix.xt) - h * sum(prefix.x);
  } else if (kind === 'gain' && shape === 'ramp') {
    const rr = sum(prefix.rr);
    const rrt = sum(prefix.rrt);
    g = sum(prefix.rt) - h * sum(prefix.r);
    gr = rrt - h * rr;
    gg = sum(prefix.rrtt) - 2 * h * rrt + h * h * rr;
    gx = sum(prefix.xrt) - h * sum(prefix.xr);
  } else {
    // A step between two hourly means leaves the hour it happened in halfway: the hours just outside the
    // episode take half of it (g = ½, or ½·r), so a step at any minute is a step, not a steep short ramp.
    const edges = (column: Float64Array) =>
      (first > 0 ? (column[first] as number) - (column[first - 1] as number) : 0) +
      (to < pairs.length ? (column[to + 1] as number) - (column[to] as number) : 0);
    // Columns of g, g·r, g² and g·x inside the episode: g = 1 (offset) or r (gain).
    const [gColumn, grColumn, ggColumn, gxColumn] =
      kind === 'offset' ? [prefix.one, prefix.r, prefix.one, prefix.x] : [prefix.r, prefix.rr, prefix.rr, prefix.xr];
    g = sum(gColumn) + 0.5 * edges(gColumn);
    gr = sum(grColumn) + 0.5 * edges(grColumn);
    gg = sum(ggColumn) + 0.25 * edges(ggColumn);
    gx = sum(gxColumn) + 0.5 * edges(gxColumn);
  }
  // Normal equations for (a, b, c) over the regressors 1, r, g, by Cramer's rule.
  const [n, r, rr, x, xr] = [all.n, all.r, all.rr, all.x, all.xr];
  const det = n * (rr * gg - gr * gr) - r * (r * gg - gr * g) + g * (r * gr - rr * g);
  const scale = n * rr * gg;
  if (!(Math.abs(det) > 1e-10 * Math.abs(scale))) return undefined;
  const a = (x * (rr * gg - gr * gr) - r * (xr * gg - gr * gx) + g * (xr * gr - rr * gx)) / det;
  const b = (n * (xr * gg - gx * gr) - x * (r * gg - gr * g) + g * (r * gx - xr * g)) / det;
  const c = (n * (rr * gx - gr * xr) - r * (r * gx - xr * g) + x * (r * gr - rr * g)) / det;
  const rss = Math.max(0, all.xx - a * x - b * xr - c * gx);
  const span = shape === 'ramp' ? (pairs[last] as EpisodePair).t - h : 1;
  const change = b === 0 ? Number.POSITIVE_INFINITY : (c * span) / b;
  return { kind, shape, first, last, intercept: a, slope: b, coefficient: c, change, rss };
}

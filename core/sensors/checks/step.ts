import { flooredSd, floorSd, madToSd, median, medianAbsoluteDeviation } from './robust';
import { SlidingWindow } from './sliding-window';

/**
 * Step change (EPA screening's level shifts): a sustained jump of the sensor's level, told apart from the
 * air's own rises and falls (NO2 at rush hour climbs tens of µg/m³ in an hour).
 * 1. **Trigger**: two windows of `M` readings slide over the series; when the median of the newer differs
 *    from the median of the older by more than `k` robust sd of the older (and by `minChange` at least, or
 *    `minRelativeChange` of the larger level when that is less), something moved.
 * 2. **Change point**: the reading that best splits the newer window into old and new level (fewest readings
 *    on the wrong side of the midpoint between the two medians), after removing the older window's trend
 *    from the values, so that a step on a ramp is placed where it jumps.
 * 3. **Confirmation**, once the `M` readings from the change point have arrived: each window's own trend
 *    (the medians of its halves) is extended to the change point, and the jump between the two extended
 *    levels must exceed max(`minChange` (or its relative form), `k` × the older window's noise), the noise
 *    being 1.4826·MAD of its successive differences / √2, which neither a trend nor a curve inflates.
 *    A ramp or a peak gives two lines that meet (no jump); a step on a ramp gives the step. The jump must
 *    also be sharp: the medians of the `sharpReadings` on each side of the change point must differ by
 *    `sharpness` of it *beyond* the change their neighbouring blocks show (see `sharpJump`), so the steep
 *    flank of a smooth plume, which moves every block alike, is no step.
 * A spike (at most `M/2 − 1` readings) moves neither a median of `M` nor one of `sharpReadings` on each
 * side, so it never makes a step. The step is reported on the confirming reading, `M − 1` readings after
 * its start; the windows then start again from the new level.
 *
 * State is the last `2M` readings (values and times) since the last restart; both windows are derived from
 * it, so a snapshot is just those readings and, when waiting for confirmation, the change point's index.
 */
export interface StepLimits {
  readings: number;
  k: number;
  minChange: number;
  /** Share of the larger level that is enough when it is below `minChange`. */
  minRelativeChange: number;
  sharpReadings: number;
  sharpness: number;
  floor: { absolute: number; relative: number };
}

export interface StepState {
  values: number[];
  times: number[];
  /** Readings seen since the last restart; the first kept one has index `count − values.length`. */
  count: number;
  /** Index of a change point waiting for its confirming readings. */
  pendingAt: number | null;
}

export interface Step {
  startMs: number;
  /** The confirming reading's time. */
  endMs: number;
  /** The older and the newer window's levels, each extended along its trend to the change point. */
  before: number;
  after: number;
  sd: number;
  /** The jump over its threshold (> 1). */
  score: number;
  threshold: number;
}

export class StepCheck {
  private values: number[];
  private times: number[];
  private count: number;
  private pendingAt: number | undefined;
  private readonly before: SlidingWindow;
  private readonly after: SlidingWindow;

  constructor(
    private readonly limits: StepLimits,
    state: StepState = { values: [], times: [], count: 0, pendingAt: null },
  ) {
    this.values = [...state.values];
    this.times = [...state.times];
    this.count = state.count;
    this.pendingAt = state.pendingAt ?? undefined;
    this.before = new SlidingWindow(limits.readings);
    this.after = new SlidingWindow(limits.readings);
    this.rebuildWindows();
  }

  observe(value: number, ms: number): Step | undefined {
    const m = this.limits.readings;
    this.values.push(value);
    this.times.push(ms);
    this.count++;
    if (this.values.length > 2 * m) {
      this.values.shift();
      this.times.shift();
    }
    const left = this.after.push(value);
    if (left !== undefined) this.before.push(left);

    if (this.pendingAt !== undefined) {
      if (this.count - this.pendingAt < m) return undefined;
      const changeAt = this.pendingAt;
      this.pendingAt = undefined;
      return this.confirm(changeAt);
    }
    if (!this.before.full) return undefined;
    const { k, floor } = this.limits;
    const levelBefore = this.before.median();
    const levelAfter = this.after.median();
    const change = levelAfter - levelBefore;
    const minChange = this.minChangeBetween(levelBefore, levelAfter);
    // The floor bounds the robust sd from below: a change within it cannot pass, and needs no MAD.
    if (Math.abs(change) <= Math.max(minChange, k * floorSd(levelBefore, floor))) return undefined;
    const sd = flooredSd(this.before.mad(levelBefore), levelBefore, floor);
    if (Math.abs(change) <= Math.max(minChange, k * sd)) return undefined;
    const changeAt = this.changePoint();
    if (this.count - changeAt >= m) return this.confirm(changeAt);
    this.pendingAt = changeAt;
    return undefined;
  }

  /**
   * A dropout or a flatline: the level after a silence, or after the sensor was stuck, is not comparable
   * with the one before it, and a flatline's repeated values (those before its rule fired included) are
   * no level of the air. Everything kept is dropped, a change point waiting for confirmation too; the
   * windows fill again from the next reading fed.
   */
  restart(): void {
    this.values = [];
    this.times = [];
    this.count = 0;
    this.pendingAt = undefined;
    this.rebuildWindows();
  }

  snapshot(): StepState {
    return { values: [...this.values], times: [...this.times], count: this.count, pendingAt: this.pendingAt ?? null };
  }

  /**
   * The smallest change reported between two levels: `minChange`, or `minRelativeChange` of the larger
   * level when that is less (a sensor losing or gaining half its signal at once is a fault at low levels too).
   */
  private minChangeBetween(a: number, b: number): number {
    const { minChange, minRelativeChange } = this.limits;
    return Math.min(minChange, minRelativeChange * Math.max(Math.abs(a), Math.abs(b)));
  }

  private slice(from: number, to: number): number[] {
    const first = this.count - this.values.length;
    return this.values.slice(from - first, to - first);
  }

  /**
   * The part of the level's change at `at` that its neighbourhood's slope does not explain: with the
   * medians of four blocks of `sharpReadings` (two before `at`, two from it), the middle difference minus
   * the mean of the outer two. A step adds its whole height to the middle difference only; along a ramp
   * the three differences are equal, and along a smooth curve (a plume's flank, a rush-hour rise) the middle
   * one is close to the mean of its neighbours, so either leaves about 0.
   */
  private sharpJump(at: number): number {
    const w = this.limits.sharpReadings;
    const [farBefore, before, after, farAfter] = [-2, -1, 0, 1].map((b) =>
      median(this.slice(at + b * w, at + (b + 1) * w)),
    ) as [number, number, number, number];
    return after - before - (before - farBefore + (farAfter - after)) / 2;
  }

  /**
   * The index in the newer window that best splits it into old and new level: fewest readings on the wrong
   * side of the midpoint between the windows' medians (earliest on ties), all taken along the older
   * window's trend, and leaving `sharpReadings` after it.
   */
  private changePoint(): number {
    const m = this.limits.readings;
    const first = this.count - m;
    const olderTrend = trend(this.slice(first - m, first));
    const older = this.slice(first - m, first).map((v, i) => v - olderTrend.slope * (i - m));
    const newer = this.slice(first, this.count).map((v, i) => v - olderTrend.slope * i);
    const levelBefore = median(older);
    const levelAfter = median(newer);
    const midpoint = (levelBefore + levelAfter) / 2;
    const isNew = (v: number) => (levelAfter > levelBefore ? v > midpoint : v < midpoint);
    let newBefore = 0;
    let oldFrom = newer.filter((v) => !isNew(v)).length;
    let best = first;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let i = 0; i <= m - this.limits.sharpReadings; i++) {
      const cost = newBefore + oldFrom;
      if (cost < bestCost) {
        bestCost = cost;
        best = first + i;
      }
      if (isNew(newer[i] as number)) newBefore++;
      else oldFrom--;
    }
    return best;
  }

  private confirm(changeAt: number): Step | undefined {
    const { readings: m, k, sharpness, floor } = this.limits;
    const before = trend(this.slice(changeAt - m, changeAt));
    const after = trend(this.slice(changeAt, changeAt + m));
    // Both lines extended to the change point: M readings after the older one's start, at the newer one's.
    const levelBefore = before.at(m);
    const levelAfter = after.at(0);
    const jump = levelAfter - levelBefore;
    const sd = Math.max(noiseSd(this.slice(changeAt - m, changeAt)), floorSd(levelBefore, floor));
    const threshold = Math.max(this.minChangeBetween(levelBefore, levelAfter), k * sd);
    if (Math.abs(jump) <= threshold || Math.sign(jump) * this.sharpJump(changeAt) < sharpness * Math.abs(jump)) {
      return undefined;
    }
    const first = this.count - this.values.length;
    const step: Step = {
      startMs: this.times[changeAt - first] as number,
      endMs: this.times[this.times.length - 1] as number,
      before: levelBefore,
      after: levelAfter,
      sd,
      score: Math.abs(jump) / threshold,
      threshold,
    };
    // Start again from the new level: the readings from the change point on are all that is kept.
    this.values = this.values.slice(changeAt - first);
    this.times = this.times.slice(changeAt - first);
    this.rebuildWindows();
    return step;
  }

  /** The newer window is the last `M` kept readings, the older one the `M` before them. */
  private rebuildWindows(): void {
    const m = this.limits.readings;
    this.before.clear();
    this.after.clear();
    const split = Math.max(0, this.values.length - m);
    for (const v of this.values.slice(Math.max(0, split - m), split)) this.before.push(v);
    for (const v of this.values.slice(split)) this.after.push(v);
  }
}

/**
 * A window's robust trend: the line through the medians of its two halves (each at its half's centre),
 * anchored on the window's median at its centre.
 */
function trend(values: readonly number[]): { slope: number; at: (index: number) => number } {
  const n = values.length;
  const half = n >> 1;
  const slope = (median(values.slice(n - half)) - median(values.slice(0, half))) / (n - half);
  const center = median(values);
  const at = (index: number) => center + slope * (index - (n - 1) / 2);
  return { slope, at };
}

/** Robust sd of a series' noise: 1.4826·MAD of its successive differences, over √2 (a difference has two). */
function noiseSd(values: readonly number[]): number {
  const differences = values.slice(1).map((v, i) => v - (values[i] as number));
  return (madToSd * medianAbsoluteDeviation(differences)) / Math.SQRT2;
}

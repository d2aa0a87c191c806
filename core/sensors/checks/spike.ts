import { flooredSd, floorSd } from './robust';
import { SlidingWindow } from './sliding-window';

/**
 * Spike: the Hampel filter (Pearson 2002/2016) made causal and confirmed. A reading more than k robust sd
 * from the median of the sensor's previous readings starts an *excursion*, flagged on the reading itself.
 * The median is of the last `centerReadings` readings, so it follows a rising or falling level (a median of
 * the last hour would trail a rush-hour rise by half an hour); the robust sd (1.4826·MAD, floored) is of
 * the last `window` readings, so it is stable. The excursion is a spike when it comes back (a reading within `backK` robust sd of
 * the median it left) within `maxReadings` readings, or when the sensor falls silent by then; a longer one is
 * a level shift, left to the step check, and the window restarts from the new level. So a step's first
 * readings carry the outlier flag (the check fired on them) but never make a spike anomaly.
 *
 * Excursion readings never enter the window (the Hampel filter replaces outliers by the median), so a spike
 * does not widen the MAD that judges the next one. Cost per reading: one binary insertion into the window;
 * the MAD, O(window), only when a reading is beyond the floor.
 */
export interface SpikeLimits {
  window: number;
  centerReadings: number;
  minReadings: number;
  k: number;
  backK: number;
  maxReadings: number;
  floor: { absolute: number; relative: number };
}

/** An excursion under way: the values away and the level they left. Plain data, for snapshots. */
export interface Excursion {
  startMs: number;
  endMs: number;
  values: number[];
  median: number;
  sd: number;
}

export interface SpikeState {
  window: number[];
  excursion: Excursion | null;
}

export interface Spike {
  startMs: number;
  endMs: number;
  readings: number;
  /** The value farthest from the median. */
  peak: number;
  median: number;
  sd: number;
  /** Farthest distance over the threshold (k·sd); > 1. */
  score: number;
}

export interface SpikeVerdict {
  /** The reading is away from the window's level: flagged as a (possible) spike. */
  outlier: boolean;
  /** An excursion just ended as a spike. */
  spike?: Spike;
  /** An excursion outlasted `maxReadings`: a level shift, not a spike. */
  levelShift?: boolean;
}

export class SpikeCheck {
  /** The last `window` readings (the scale) and their tail of `centerReadings` (the center). */
  private readonly window: SlidingWindow;
  private readonly recent: SlidingWindow;
  private excursion: Excursion | undefined;

  constructor(
    private readonly limits: SpikeLimits,
    state: SpikeState = { window: [], excursion: null },
  ) {
    this.window = new SlidingWindow(limits.window, state.window);
    this.recent = new SlidingWindow(limits.centerReadings, state.window.slice(-limits.centerReadings));
    this.excursion = state.excursion === null ? undefined : structuredClone(state.excursion);
  }

  observe(value: number, ms: number): SpikeVerdict {
    const { k, backK, maxReadings, floor } = this.limits;
    const excursion = this.excursion;
    if (excursion !== undefined) {
      if (Math.abs(value - excursion.median) <= backK * excursion.sd) {
        this.excursion = undefined;
        this.accept(value);
        return { outlier: false, spike: this.spikeOf(excursion) };
      }
      if (excursion.values.length >= maxReadings) {
        this.excursion = undefined;
        this.restart([...excursion.values, value]);
        return { outlier: false, levelShift: true };
      }
      excursion.values.push(value);
      excursion.endMs = ms;
      return { outlier: true };
    }
    if (this.window.size < this.limits.minReadings) {
      this.accept(value);
      return { outlier: false };
    }
    const center = this.recent.median();
    const distance = Math.abs(value - center);
    // The floor bounds the robust sd from below, so a reading within k floors cannot be an outlier.
    if (distance <= k * floorSd(center, floor)) {
      this.accept(value);
      return { outlier: false };
    }
    const sd = flooredSd(this.window.mad(), center, floor);
    if (distance <= k * sd) {
      this.accept(value);
      return { outlier: false };
    }
    this.excursion = { startMs: ms, endMs: ms, values: [value], median: center, sd };
    return { outlier: true };
  }

  /**
   * The sensor fell silent (a dropout): an excursion under way ended with it, so it is a spike; and the
   * window starts again after the silence, whose air may be another level.
   */
  silence(): Spike | undefined {
    const excursion = this.excursion;
    this.excursion = undefined;
    this.restart([]);
    return excursion === undefined ? undefined : this.spikeOf(excursion);
  }

  /**
   * The sensor is stuck: a flatline whose first reading was at `runStartMs` has just been found. Its
   * repeated values are a fault, not the air, and those before the rule fired are already in the window
   * (identical values shrink the MAD to the floor, and ordinary noise after the flatline would read as
   * spikes), so the window starts again, empty: judging resumes once `minReadings` readings after the
   * flatline have filled it. The caller feeds nothing while the flatline lasts. An excursion under way
   * that began before the run ended as the sensor stuck: a spike, as at a silence; one that began within
   * the run is made of the run's own readings and is dropped.
   */
  stuck(runStartMs: number): Spike | undefined {
    const excursion = this.excursion;
    this.excursion = undefined;
    this.restart([]);
    return excursion !== undefined && excursion.startMs < runStartMs ? this.spikeOf(excursion) : undefined;
  }

  snapshot(): SpikeState {
    return {
      window: this.window.values(),
      excursion: this.excursion === undefined ? null : structuredClone(this.excursion),
    };
  }

  private accept(value: number): void {
    this.window.push(value);
    this.recent.push(value);
  }

  private restart(values: readonly number[]): void {
    this.window.clear();
    this.recent.clear();
    for (const value of values) this.accept(value);
  }

  private spikeOf(excursion: Excursion): Spike {
    const peak = excursion.values.reduce((far, v) =>
      Math.abs(v - excursion.median) > Math.abs(far - excursion.median) ? v : far,
    );
    return {
      startMs: excursion.startMs,
      endMs: excursion.endMs,
      readings: excursion.values.length,
      peak,
      median: excursion.median,
      sd: excursion.sd,
      score: Math.abs(peak - excursion.median) / (this.limits.k * excursion.sd),
    };
  }
}

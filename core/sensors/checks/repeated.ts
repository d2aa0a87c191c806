import { upperBound } from './robust';

/**
 * Single-reading faults of one measurement (out-of-range values, spikes) that keep coming: the sustained
 * fault behind them. Fed the event times of those faults in event-time order; a fault is sustained once
 * `count` of them fall within `windowMs` of event time (the newest included), and it lasts until a whole
 * window passes without one. The verdicts depend only on the event times, never on when they were fed.
 */
export interface RepeatLimits {
  windowMs: number;
  count: number;
}

export interface Repetition {
  /** Event time of the oldest fault in the window: where the sustained fault starts. */
  firstMs: number;
  /** Faults within the window, the newest included. */
  inWindow: number;
  /** `inWindow / count`: 1 when the rule is just met. */
  score: number;
  /** The rule holds: `count` faults within one window. */
  reached: boolean;
}

export class RepeatCount {
  /** Event times of the faults within the window of the newest, ascending. */
  private readonly times: number[];

  constructor(
    private readonly limits: RepeatLimits,
    times: readonly number[] = [],
  ) {
    this.times = [...times];
  }

  /** Counts a fault at `ms`; answers how many fall within the window, and from when. */
  observe(ms: number): Repetition {
    this.times.splice(upperBound(this.times, ms), 0, ms);
    const newest = this.times[this.times.length - 1] as number;
    while ((this.times[0] as number) < newest - this.limits.windowMs) this.times.shift();
    return {
      firstMs: this.times[0] as number,
      inWindow: this.times.length,
      score: this.times.length / this.limits.count,
      reached: this.times.length >= this.limits.count,
    };
  }

  /** A whole window has passed since the newest fault, at event time `ms`. */
  lapsed(ms: number): boolean {
    const newest = this.times[this.times.length - 1];
    return newest !== undefined && ms - newest > this.limits.windowMs;
  }

  snapshot(): number[] {
    return [...this.times];
  }
}

import { isoTime } from '../anomaly-record';
import { RepeatCount } from '../checks/repeated';
import type { SensorMeasurementName } from '../reading';

import type { FaultBook } from './fault-book';
import type { CheckLimits, RepeatedFaultType } from './limits';
import type { DetectorOutput } from './outputs';
import type { RepeatSnapshot } from './snapshot';

/**
 * One sensor's sustained faults made of single-reading ones, in event-time order: each out-of-range reading
 * and each spike of a measurement is counted (`RepeatCount`); `repeated_out_of_range` or `frequent_spikes`
 * opens in the sensor's `FaultBook` (so it starts a `sensorIncident` like a flatline) when the count is
 * reached within the window, grows with every further one, and closes at the first reading a whole window
 * after the last. Counted at release, never at admission: the window is a span of event time, so only the
 * event-time order the detector's queue gives makes the verdicts independent of arrival order.
 */
export class RepeatedFaults {
  private readonly counts = new Map<
    string,
    { type: RepeatedFaultType; measurement: SensorMeasurementName; count: RepeatCount }
  >();

  constructor(
    private readonly limits: CheckLimits['repeats'],
    private readonly book: FaultBook,
    saved: readonly RepeatSnapshot[] = [],
  ) {
    for (const { type, measurement, times } of saved) this.countOf(type, measurement, times);
  }

  /** A single-reading fault of `measurement` at event time `faultMs`, learnt at event time `atMs`. */
  observe(
    type: RepeatedFaultType,
    measurement: SensorMeasurementName,
    faultMs: number,
    atMs: number,
  ): DetectorOutput[] {
    const repetition = this.countOf(type, measurement).observe(faultMs);
    if (!repetition.reached && !this.book.isOpen(type, measurement)) return [];
    const { windowMs, count } = this.limits[type];
    const evidence = {
      in_window: repetition.inWindow,
      required: count,
      window_seconds: windowMs / 1000,
      latest: isoTime(faultMs),
    };
    const sighting = { startMs: repetition.firstMs, endMs: faultMs, score: repetition.score, evidence };
    return this.book.sighted(type, measurement, sighting, atMs);
  }

  /** Closes the sustained faults a whole window past their last single fault at event time `ms`. */
  lapse(ms: number): DetectorOutput[] {
    const out: DetectorOutput[] = [];
    // Lapsed counts are dropped, so the map holds what the snapshot holds, in the same order: a restored
    // detector iterates its counts as the one that never stopped.
    for (const [key, { type, measurement, count }] of this.counts) {
      if (!count.lapsed(ms)) continue;
      this.counts.delete(key);
      out.push(...this.book.cleared(type, measurement, ms));
    }
    return out;
  }

  snapshot(): RepeatSnapshot[] {
    return [...this.counts.values()].map(({ type, measurement, count }) => ({
      type,
      measurement,
      times: count.snapshot(),
    }));
  }

  private countOf(type: RepeatedFaultType, measurement: SensorMeasurementName, times?: readonly number[]): RepeatCount {
    const key = `${type}|${measurement}`;
    let entry = this.counts.get(key);
    if (entry === undefined) {
      entry = { type, measurement, count: new RepeatCount(this.limits[type], times) };
      this.counts.set(key, entry);
    }
    return entry.count;
  }
}

import type { SensorAnomaly } from '../anomaly';
import { isoTime } from '../anomaly-record';
import { dropoutDeadline, dropoutStart, isDropoutGap } from '../checks/dropout';
import { FlatlineCheck } from '../checks/flatline';
import { rangeViolation } from '../checks/out-of-range';
import { rateViolation } from '../checks/rate-of-change';
import { lowerBound } from '../checks/robust';
import { SpikeCheck, type Spike } from '../checks/spike';
import { StepCheck } from '../checks/step';
import { sensorMeasurementNames, type SensorMeasurementName, type SensorReading } from '../reading';

import { FaultBook, type Sighting } from './fault-book';
import type { CheckLimits } from './limits';
import type { DetectorOutput, QcFlag } from './outputs';
import { RepeatedFaults } from './repeats';
import type { MeasurementSnapshot, SensorSnapshot } from './snapshot';

/** One measurement's checks with memory, and its last plausible reading (for the rate of change). */
class MeasurementTrack {
  last: { value: number; ms: number } | undefined;
  readonly spike: SpikeCheck;
  readonly flatline: FlatlineCheck;
  readonly step: StepCheck;

  constructor(limits: CheckLimits['measurements'][SensorMeasurementName], snapshot?: MeasurementSnapshot) {
    this.last = snapshot?.last ?? undefined;
    this.spike = new SpikeCheck(limits.spike, snapshot?.spike);
    this.flatline = new FlatlineCheck(limits.flatline, snapshot?.flatline);
    this.step = new StepCheck(limits.step, snapshot?.step);
  }

  snapshot(): MeasurementSnapshot {
    return {
      last: this.last === undefined ? null : { ...this.last },
      spike: this.spike.snapshot(),
      flatline: this.flatline.snapshot(),
      step: this.step.snapshot(),
    };
  }
}

/**
 * One sensor's checks, fed its readings in event-time order (the detector's queue guarantees the order).
 * For each reading, in this order: a dropout before it (the gap since the previous reading), the sustained
 * faults of repeated single-reading ones that a window without any has ended, then per measurement:
 * out of range (flagged and counted towards `repeated_out_of_range`; its own anomaly was published when the
 * reading was admitted, see `DetectorState`; the value is kept from every other check), rate of change,
 * spike, flatline, step; then the spikes found, counted towards `frequent_spikes`. Readings flagged as a
 * fault never shape the spike and step baselines: an out-of-range value reaches neither, and a flatline's
 * readings neither (both windows start again when a flatline is found, since the run's first readings went
 * in before its rule fired, and take nothing until it ends), as after a dropout. The outputs are the
 * anomalies opened and closed on the way, then the reading with its flags. Nothing here depends on when a
 * reading arrived, only on the sequence of readings, which is why any
 * arrival order within the lateness gives the same outputs.
 */
export class SensorState {
  lastMs: number | undefined;
  /** The newest event time accepted for this sensor, checked or queued. */
  newestMs: number | undefined;
  private readonly checked: number[];
  private readonly pending = new Set<number>();
  private readonly book: FaultBook;
  private readonly repeats: RepeatedFaults;
  private readonly tracks = new Map<SensorMeasurementName, MeasurementTrack>();

  constructor(
    readonly sensorId: string,
    private readonly limits: CheckLimits,
    snapshot?: SensorSnapshot,
  ) {
    this.lastMs = snapshot?.lastMs ?? undefined;
    this.newestMs = this.lastMs;
    this.checked = [...(snapshot?.checked ?? [])];
    this.book = new FaultBook(sensorId, limits.criticalScore, snapshot?.faults);
    this.repeats = new RepeatedFaults(limits.repeats, this.book, snapshot?.repeats);
    for (const name of sensorMeasurementNames) {
      const saved = snapshot?.measurements[name];
      if (saved !== undefined) this.tracks.set(name, new MeasurementTrack(limits.measurements[name], saved));
    }
  }

  /** A reading with this event time is already taken: waiting in the queue or recently checked. */
  holds(ms: number): boolean {
    if (this.pending.has(ms)) return true;
    const i = lowerBound(this.checked, ms);
    return this.checked[i] === ms;
  }

  /** The reading with this event time is in the detector's queue. */
  awaits(ms: number): void {
    this.pending.add(ms);
    if (this.newestMs === undefined || ms > this.newestMs) this.newestMs = ms;
  }

  /** When this sensor's silence becomes a dropout; undefined when it has no reading yet or already is one. */
  silenceDeadline(): number | undefined {
    if (this.lastMs === undefined || this.book.isOpen('dropout')) return undefined;
    return dropoutDeadline(this.lastMs, this.limits.dropout);
  }

  check(reading: SensorReading, ms: number): DetectorOutput[] {
    const out: DetectorOutput[] = [];
    const flags: QcFlag[] = [];
    this.pending.delete(ms);
    if (this.lastMs !== undefined && isDropoutGap(this.lastMs, ms, this.limits.dropout)) {
      if (!this.book.isOpen('dropout')) out.push(...this.fallSilent());
      out.push(...this.resume(this.lastMs, ms));
      flags.push({ type: 'dropout' });
    }
    // After the silence's spike (if any) is counted, whether the watermark or this reading revealed it.
    out.push(...this.repeats.lapse(ms));
    const checked: DetectorOutput[] = [];
    for (const name of sensorMeasurementNames) {
      const value = reading.measurements[name];
      if (value !== undefined) checked.push(...this.checkMeasurement(name, value, ms, flags));
    }
    out.push(...checked, ...this.countSpikes(checked, ms));
    this.lastMs = ms;
    this.checked.push(ms);
    const forgetBefore = ms - this.limits.duplicateMemoryMs;
    while ((this.checked[0] as number) < forgetBefore) this.checked.shift();
    out.push({ kind: 'reading', reading, flags });
    return out;
  }

  /**
   * The sensor's silence has become a dropout. Called by the detector when the watermark shows it, or by
   * `check` when the next reading shows it first; either way at the same point of the sensor's sequence
   * and with the same times, so the outputs are identical. An excursion under way ends as a spike, and
   * the spike and step windows start again after the silence.
   */
  fallSilent(): DetectorOutput[] {
    if (this.lastMs === undefined) return [];
    const lastMs = this.lastMs;
    const detectedMs = dropoutDeadline(lastMs, this.limits.dropout);
    const out: DetectorOutput[] = [];
    for (const [name, track] of this.orderedTracks()) {
      const spike = track.spike.silence();
      track.step.restart();
      if (spike !== undefined) out.push(...this.book.episode('spike', name, spikeSighting(spike), detectedMs));
    }
    out.push(...this.countSpikes(out, detectedMs));
    const sighting: Sighting = {
      startMs: dropoutStart(lastMs, this.limits.dropout),
      endMs: detectedMs,
      score: 1,
      evidence: {
        last_seen: isoTime(lastMs),
        expected_interval_seconds: this.limits.dropout.expectedIntervalMs / 1000,
        silent_for_more_than_seconds: (detectedMs - lastMs) / 1000,
      },
    };
    out.push(...this.book.sighted('dropout', undefined, sighting, detectedMs));
    return out;
  }

  openAnomalies(): SensorAnomaly[] {
    return this.book.open();
  }

  snapshot(): SensorSnapshot {
    return {
      sensorId: this.sensorId,
      lastMs: this.lastMs ?? null,
      checked: [...this.checked],
      faults: this.book.snapshot(),
      measurements: Object.fromEntries(this.orderedTracks().map(([name, track]) => [name, track.snapshot()])),
      repeats: this.repeats.snapshot(),
    };
  }

  /** The reading after a dropout closes it, with the silence's final extent. */
  private resume(lastMs: number, ms: number): DetectorOutput[] {
    const { expectedIntervalMs, dropoutIntervals } = this.limits.dropout;
    const startMs = dropoutStart(lastMs, this.limits.dropout);
    const sighting: Sighting = {
      startMs,
      // The last reading missed: one interval before the one that came.
      endMs: Math.max(startMs, ms - expectedIntervalMs),
      score: (ms - lastMs) / (dropoutIntervals * expectedIntervalMs),
      evidence: {
        last_seen: isoTime(lastMs),
        resumed_at: isoTime(ms),
        silent_seconds: (ms - lastMs) / 1000,
        missed_readings: Math.max(0, Math.round((ms - lastMs) / expectedIntervalMs) - 1),
      },
    };
    return [...this.book.sighted('dropout', undefined, sighting, ms), ...this.book.cleared('dropout', undefined, ms)];
  }

  private checkMeasurement(name: SensorMeasurementName, value: number, ms: number, flags: QcFlag[]): DetectorOutput[] {
    const limits = this.limits.measurements[name];
    const book = this.book;
    const violation = rangeViolation(value, limits.range, this.limits.sentinels);
    if (violation !== undefined) {
      flags.push({ type: 'out_of_range', measurement: name });
      return this.repeats.observe('repeated_out_of_range', name, ms, ms);
    }
    // Only a snapshot from before out-of-range anomalies were decided per reading holds an open run.
    const out = book.cleared('out_of_range', name, ms);
    const track = this.track(name);

    const previous = track.last;
    track.last = { value, ms };
    const { expectedIntervalMs } = this.limits.dropout;
    const rate = previous && rateViolation(previous, { value, ms }, limits.maxChangePerMinute, expectedIntervalMs);
    if (previous !== undefined && rate !== undefined) {
      flags.push({ type: 'rate_of_change', measurement: name });
      const evidence = {
        previous: previous.value,
        value,
        per_minute: rate.perMinute,
        limit_per_minute: limits.maxChangePerMinute,
      };
      out.push(...book.sighted('rate_of_change', name, { startMs: ms, endMs: ms, score: rate.score, evidence }, ms));
    } else out.push(...book.cleared('rate_of_change', name, ms));

    // A flatline's readings are a fault, not the air: they never shape the spike and step baselines.
    const run = track.flatline.observe(value, ms);
    if (run === undefined) {
      const verdict = track.spike.observe(value, ms);
      if (verdict.outlier) flags.push({ type: 'spike', measurement: name });
      if (verdict.spike !== undefined) out.push(...book.episode('spike', name, spikeSighting(verdict.spike), ms));
      out.push(...book.cleared('flatline', name, ms));
    } else {
      if (run.readings === run.required) {
        // Found on this reading: the run's earlier readings are in the windows already; both start again.
        const spike = track.spike.stuck(run.startMs);
        track.step.restart();
        if (spike !== undefined) out.push(...book.episode('spike', name, spikeSighting(spike), ms));
      }
      flags.push({ type: 'flatline', measurement: name });
      const evidence = { value: run.value, run_readings: run.readings, required_readings: run.required };
      const sighting = { startMs: run.startMs, endMs: ms, score: run.score, evidence };
      out.push(...book.sighted('flatline', name, sighting, ms));
      return out;
    }

    const step = track.step.observe(value, ms);
    if (step !== undefined) {
      flags.push({ type: 'step', measurement: name });
      const evidence = {
        level_before: step.before,
        level_after: step.after,
        noise_sd: step.sd,
        threshold: step.threshold,
      };
      out.push(
        ...book.episode('step', name, { startMs: step.startMs, endMs: step.endMs, score: step.score, evidence }, ms),
      );
    }
    return out;
  }

  /** The spikes among `outputs` (found at event time `atMs`), each counted towards `frequent_spikes`. */
  private countSpikes(outputs: readonly DetectorOutput[], atMs: number): DetectorOutput[] {
    const out: DetectorOutput[] = [];
    for (const output of outputs) {
      const anomaly = output.kind === 'anomaly_opened' ? output.anomaly : undefined;
      if (anomaly?.type !== 'spike' || anomaly.measurement === undefined) continue;
      const measurement = anomaly.measurement as SensorMeasurementName;
      out.push(...this.repeats.observe('frequent_spikes', measurement, Date.parse(anomaly.window.start), atMs));
    }
    return out;
  }

  private track(name: SensorMeasurementName): MeasurementTrack {
    let track = this.tracks.get(name);
    if (track === undefined) {
      track = new MeasurementTrack(this.limits.measurements[name]);
      this.tracks.set(name, track);
    }
    return track;
  }

  /** Tracks in the contract's measurement order, so outputs never depend on which measurement came first. */
  private orderedTracks(): [SensorMeasurementName, MeasurementTrack][] {
    return sensorMeasurementNames.flatMap((name) => {
      const track = this.tracks.get(name);
      return track === undefined ? [] : [[name, track] as [SensorMeasurementName, MeasurementTrack]];
    });
  }
}

function spikeSighting(spike: Spike): Sighting {
  return {
    startMs: spike.startMs,
    endMs: spike.endMs,
    score: spike.score,
    evidence: { peak: spike.peak, median: spike.median, robust_sd: spike.sd, readings: spike.readings },
  };
}

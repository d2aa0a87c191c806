import { z } from 'zod';

import { AppError } from '../../errors';
import type { SensorAnomaly } from '../anomaly';
import { isoTime } from '../anomaly-record';
import { silentSensors } from '../checks/dropout';
import type { SensorReading } from '../reading';
import type { DetectorThresholds } from '../thresholds';

import { anomaliesOnAdmission } from './admission';
import { encodeCheckpoint, type DetectorChanges, type QueuedKey, type StoredCheckpoint } from './checkpoint-codec';
import { checkLimits, type CheckLimits } from './limits';
import type { DetectorOutput } from './outputs';
import { PendingQueue, type PendingReading } from './pending-queue';
import { SensorState } from './sensor-state';
import { detectorSnapshot, type DetectorSnapshot } from './snapshot';

/**
 * The detector's state for the sensors of one or more partitions: readings in (any order), checked
 * readings, anomalies and rejections out, in event-time order. No clock: time is the readings' event time,
 * and wall time only enters as the `now` a caller may pass to refuse readings from the future.
 *
 * 1. Admit each reading on arrival: a duplicate (same sensor and timestamp as one taken) is reported as
 *    such; one older than the watermark minus the allowed lateness is refused as too late; one too far in
 *    the future is refused (below). The watermark is the newest event time accepted. What a reading shows
 *    on its own is reported at once (`admission.ts`): each out-of-range or sentinel value is an anomaly of
 *    its own, published without waiting for the lateness.
 *
 *    Too far in the future: more than `futureTolerance` ahead of `now` when the caller gives it (live: wall
 *    time is the authority). Without `now`, ahead of the watermark, but event time alone cannot tell a fast
 *    clock from a silence: a sensor alone on its partition coming back after an hour, or a whole partition
 *    coming back, looks like a jump too. So a far-ahead reading is refused only while another sensor of the
 *    partition is still active at the watermark (reported within a dropout's span of it), and is taken
 *    when another sensor has also sent a reading near its time (the partition has moved on: after a
 *    partition-wide silence only the first reading back is lost). Either way one fast clock cannot drag
 *    the watermark ahead and make every other sensor's readings late.
 * 2. Queue the rest and release, in event-time order, every reading the watermark has passed by the
 *    allowed lateness: nothing older can be accepted any more, so each sensor's checks see its readings in
 *    event-time order whatever order they came in. The price is latency: results that need other readings
 *    (spikes, flatlines, steps, dropouts, the flags, and the sustained faults counted from out-of-range
 *    readings and spikes) trail the newest reading by the allowed lateness (5 min by default) of event time.
 * 3. Then report the sensors whose silence has become a dropout at the released point (see
 *    `checks/dropout.ts`): the same anomaly the sensor's next reading would show.
 *
 * Restart and rebalance: `snapshot()` is the whole state as JSON (queued readings included) and
 * `restoreDetectorState` reads it back; a detector restored from the snapshot taken after a reading and
 * fed the readings after it produces exactly the outputs of one that never stopped. The process stores
 * it in parts, together with the Kafka offsets it covers, and resumes from those offsets:
 * `snapshotChanges()` gives the partition part, the checkpoints of the sensors whose checks moved since its
 * last call (their readings were released or their silence judged; admitting a reading only queues it), and
 * the queue's changes (readings queued, readings released), so what a chunk writes grows with the chunk,
 * not with the sensors of the partition nor with the queue the allowed lateness holds.
 *
 * A mutable object rather than a pure `(state, reading) → state` function: copying every window per reading
 * would cost the throughput. It does no I/O and reads no clock, so it is as deterministic as one.
 */
export class DetectorState {
  private readonly limits: CheckLimits;
  private watermarkMs: number | undefined;
  private readonly sensors = new Map<string, SensorState>();
  private readonly queue = new PendingQueue();
  /** No sensor's silence becomes a dropout before this released time (a lower bound, refreshed by sweeps). */
  private silenceCheckMs = Number.POSITIVE_INFINITY;
  /** Per sensor, the event time of its latest reading refused as too far ahead of the watermark. */
  private readonly aheadClaims = new Map<string, number>();
  /** Sensors whose checkpoint may differ from the stored one (all of them after a restore, until told otherwise). */
  private readonly touched = new Set<string>();
  /** Readings queued since the last `snapshotChanges` and still waiting, by `queuedKey`. */
  private readonly queuedSince = new Map<string, PendingReading>();
  /** Readings released since the last `snapshotChanges` that were queued before it. */
  private releasedSince: QueuedKey[] = [];

  constructor(
    readonly thresholds: DetectorThresholds,
    snapshot?: DetectorSnapshot,
  ) {
    this.limits = checkLimits(thresholds);
    if (snapshot === undefined) return;
    this.watermarkMs = snapshot.watermarkMs ?? undefined;
    for (const saved of snapshot.sensors) {
      this.sensors.set(saved.sensorId, new SensorState(saved.sensorId, this.limits, saved));
    }
    for (const reading of snapshot.pending) this.enqueue(reading, Date.parse(reading.timestamp));
    for (const claim of snapshot.aheadClaims) this.aheadClaims.set(claim.sensorId, claim.ms);
    this.silenceCheckMs = this.earliestSilenceDeadline();
    for (const sensorId of this.sensors.keys()) this.touched.add(sensorId);
  }

  /** The newest event time accepted, if any. */
  get watermark(): string | undefined {
    return this.watermarkMs === undefined ? undefined : isoTime(this.watermarkMs);
  }

  /**
   * Takes readings in arrival order. `now` (wall time, ISO) is the caller's: when given, "too far in the
   * future" is judged against it instead of the watermark.
   */
  ingest(readings: readonly SensorReading[], context: { now?: string } = {}): DetectorOutput[] {
    const nowMs = context.now === undefined ? undefined : Date.parse(context.now);
    const out: DetectorOutput[] = [];
    for (const reading of readings) {
      const ms = Date.parse(reading.timestamp);
      const refusal = this.refusal(reading, ms, nowMs);
      if (refusal !== undefined) {
        out.push(refusal);
        continue;
      }
      this.enqueue(reading, ms);
      out.push(...anomaliesOnAdmission(reading, ms, this.limits));
      const watermarkMs =
        this.watermarkMs === undefined || ms > this.watermarkMs ? this.advanceWatermark(ms) : this.watermarkMs;
      this.release(watermarkMs - this.limits.dropout.allowedLatenessMs, out);
    }
    return out;
  }

  /**
   * Releases every queued reading now, without waiting for the watermark: for the end of a finite replay.
   * A reading older than one already checked for its sensor is refused as too late afterwards.
   */
  drain(): DetectorOutput[] {
    const out: DetectorOutput[] = [];
    this.release(Number.POSITIVE_INFINITY, out, false);
    return out;
  }

  /** The faults still open, per sensor in id order, with their windows up to the last reading checked. */
  openAnomalies(): SensorAnomaly[] {
    return this.orderedSensors().flatMap((sensor) => sensor.openAnomalies());
  }

  snapshot(): DetectorSnapshot {
    return {
      schema: 'sensors.detector-state/v1',
      watermarkMs: this.watermarkMs ?? null,
      pending: this.queue.inOrder().map((item) => item.reading),
      aheadClaims: this.orderedClaims(),
      sensors: this.orderedSensors().map((sensor) => sensor.snapshot()),
    };
  }

  /**
   * The partition part and the checkpoints of the sensors touched since the last call (in id order), for
   * storage: the stored checkpoints of the others are unchanged. Forgets the touched set.
   */
  snapshotChanges(): DetectorChanges {
    const sensors: StoredCheckpoint[] = [];
    for (const sensorId of [...this.touched].sort()) {
      const sensor = this.sensors.get(sensorId);
      if (sensor !== undefined) sensors.push(encodeCheckpoint(sensor.snapshot()));
    }
    const queued = [...this.queuedSince.values()].sort(releaseOrder).map((item) => item.reading);
    const released = this.releasedSince.sort(releaseOrder);
    this.forgetChanges();
    const partition = {
      schema: 'sensors.detector-partition/v1' as const,
      watermarkMs: this.watermarkMs ?? null,
      aheadClaims: this.orderedClaims(),
    };
    return { partition, sensors, queued, released };
  }

  /** The stored parts are this state's (it was just restored from them): nothing has changed yet. */
  forgetChanges(): void {
    this.touched.clear();
    this.queuedSince.clear();
    this.releasedSince = [];
  }

  private refusal(reading: SensorReading, ms: number, nowMs: number | undefined): DetectorOutput | undefined {
    const sensor = this.sensors.get(reading.sensor_id);
    if (sensor?.holds(ms)) return { kind: 'duplicate', reading };
    const { futureToleranceMs, dropout } = this.limits;
    const ahead = `${reading.timestamp} is more than ${futureToleranceMs / 1000} s ahead of`;
    if (nowMs !== undefined && ms > nowMs + futureToleranceMs) {
      return { kind: 'rejected', reading, reason: 'too_far_in_future', detail: `${ahead} now (${isoTime(nowMs)})` };
    }
    const watermarkMs = this.watermarkMs;
    if (
      nowMs === undefined &&
      watermarkMs !== undefined &&
      ms > watermarkMs + futureToleranceMs &&
      !this.partitionMovedOn(reading.sensor_id, ms)
    ) {
      this.aheadClaims.set(reading.sensor_id, ms);
      const detail = `${ahead} the newest event time seen (${isoTime(watermarkMs)}), where other sensors still report`;
      return { kind: 'rejected', reading, reason: 'too_far_in_future', detail };
    }
    if (this.watermarkMs !== undefined && ms < this.watermarkMs - dropout.allowedLatenessMs) {
      const detail = `${reading.timestamp} is more than the allowed lateness (${dropout.allowedLatenessMs / 1000} s) older than the newest event time seen (${isoTime(this.watermarkMs)})`;
      return { kind: 'rejected', reading, reason: 'too_late', detail };
    }
    if (sensor?.lastMs !== undefined && ms < sensor.lastMs) {
      const detail = `${reading.timestamp} is older than ${isoTime(sensor.lastMs)}, already checked for ${reading.sensor_id}`;
      return { kind: 'rejected', reading, reason: 'too_late', detail };
    }
    return undefined;
  }

  /**
   * Whether a reading far ahead of the watermark shows the partition's time rather than a fast clock: no
   * other sensor is active at the watermark, or another one has also sent a reading near that time.
   */
  private partitionMovedOn(sensorId: string, ms: number): boolean {
    const { futureToleranceMs, dropout } = this.limits;
    const activeSince = (this.watermarkMs as number) - dropout.dropoutIntervals * dropout.expectedIntervalMs;
    let othersActive = false;
    for (const sensor of this.sensors.values()) {
      if (sensor.sensorId !== sensorId && (sensor.newestMs ?? Number.NEGATIVE_INFINITY) >= activeSince) {
        othersActive = true;
        break;
      }
    }
    if (!othersActive) return true;
    for (const [other, claimMs] of this.aheadClaims) {
      if (other !== sensorId && Math.abs(claimMs - ms) <= futureToleranceMs) return true;
    }
    return false;
  }

  private advanceWatermark(ms: number): number {
    this.watermarkMs = ms;
    // A claim the watermark has caught up with is no longer ahead.
    for (const [sensorId, claimMs] of this.aheadClaims) {
      if (claimMs <= ms + this.limits.futureToleranceMs) this.aheadClaims.delete(sensorId);
    }
    return ms;
  }

  private enqueue(reading: SensorReading, ms: number): void {
    let sensor = this.sensors.get(reading.sensor_id);
    if (sensor === undefined) {
      sensor = new SensorState(reading.sensor_id, this.limits);
      this.sensors.set(reading.sensor_id, sensor);
    }
    sensor.awaits(ms);
    const item = { ms, sensorId: reading.sensor_id, reading };
    this.queue.push(item);
    this.queuedSince.set(queuedKey(item), item);
  }

  /** Checks every queued reading up to `horizon` in event-time order, then the silences it reveals. */
  private release(horizon: number, out: DetectorOutput[], watchSilence = true): void {
    for (let next = this.queue.peek(); next !== undefined && next.ms <= horizon; next = this.queue.peek()) {
      this.queue.pop();
      if (!this.queuedSince.delete(queuedKey(next))) this.releasedSince.push({ sensorId: next.sensorId, ms: next.ms });
      this.touched.add(next.sensorId);
      const sensor = this.sensors.get(next.sensorId) as SensorState;
      out.push(...sensor.check(next.reading, next.ms));
      this.silenceCheckMs = Math.min(this.silenceCheckMs, sensor.silenceDeadline() ?? Number.POSITIVE_INFINITY);
    }
    if (!watchSilence || this.watermarkMs === undefined || horizon <= this.silenceCheckMs) return;
    const watched = this.orderedSensors().flatMap((sensor) =>
      sensor.silenceDeadline() === undefined
        ? []
        : [{ sensorId: sensor.sensorId, lastSeenMs: sensor.lastMs as number }],
    );
    for (const silent of silentSensors(watched, this.watermarkMs, this.limits.dropout)) {
      this.touched.add(silent.sensorId);
      out.push(...(this.sensors.get(silent.sensorId) as SensorState).fallSilent());
    }
    this.silenceCheckMs = this.earliestSilenceDeadline();
  }

  private earliestSilenceDeadline(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const sensor of this.sensors.values()) earliest = Math.min(earliest, sensor.silenceDeadline() ?? earliest);
    return earliest;
  }

  private orderedClaims(): { sensorId: string; ms: number }[] {
    return [...this.aheadClaims]
      .map(([sensorId, ms]) => ({ sensorId, ms }))
      .sort((a, b) => (a.sensorId < b.sensorId ? -1 : 1));
  }

  private orderedSensors(): SensorState[] {
    return [...this.sensors.values()].sort((a, b) => (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0));
  }
}

const queuedKey = (item: QueuedKey) => `${item.sensorId}@${item.ms}`;
const releaseOrder = (a: QueuedKey, b: QueuedKey) =>
  a.ms - b.ms || (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0);

export function createDetectorState(thresholds: DetectorThresholds): DetectorState {
  return new DetectorState(thresholds);
}

/** A detector from a stored snapshot (validated: it comes from storage). */
export function restoreDetectorState(snapshot: unknown, thresholds: DetectorThresholds): DetectorState {
  const parsed = detectorSnapshot.safeParse(snapshot);
  if (!parsed.success) {
    throw new AppError('DETECTOR_SNAPSHOT', `unreadable detector snapshot: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
      operational: false,
    });
  }
  return new DetectorState(thresholds, parsed.data);
}

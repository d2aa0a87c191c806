import { z } from 'zod';

import { anomalyTypes } from '../anomaly';
import { sensorId, sensorMeasurementNames, sensorReading, type SensorReading } from '../reading';

import { repeatedFaultTypes } from './limits';

/**
 * The detector's whole state as plain JSON: what a detector process stores (with the Kafka offsets it
 * covers) and reads back after a restart or a rebalance. Validated when read back, since it comes from
 * storage. Times are epoch milliseconds.
 */
const ms = z.number().finite();
const finite = z.number().finite();
const count = z.number().int().nonnegative();

export const measurementSnapshot = z.strictObject({
  last: z.strictObject({ value: finite, ms }).nullable(),
  spike: z.strictObject({
    window: z.array(finite),
    excursion: z
      .strictObject({ startMs: ms, endMs: ms, values: z.array(finite), median: finite, sd: finite })
      .nullable(),
  }),
  flatline: z.strictObject({ value: finite.nullable(), startMs: ms, readings: count }),
  step: z.strictObject({ values: z.array(finite), times: z.array(ms), count, pendingAt: count.nullable() }),
});
export type MeasurementSnapshot = z.infer<typeof measurementSnapshot>;

const openFault = z.strictObject({
  type: z.enum(anomalyTypes),
  measurement: z.enum(sensorMeasurementNames).optional(),
  startMs: ms,
  endMs: ms,
  detectedMs: ms,
  score: finite,
  evidence: z.record(z.string(), z.unknown()),
  flaggedReadings: count,
});

/** Recent single-reading faults of one measurement, counted towards a sustained one (`RepeatCount`). */
const repeatSnapshot = z.strictObject({
  type: z.enum(repeatedFaultTypes),
  measurement: z.enum(sensorMeasurementNames),
  times: z.array(ms),
});
export type RepeatSnapshot = z.infer<typeof repeatSnapshot>;

const sensorSnapshot = z.strictObject({
  sensorId,
  /** The event time of the last checked reading. */
  lastMs: ms.nullable(),
  /** Recently checked event times, to call a re-sent reading a duplicate. */
  checked: z.array(ms),
  faults: z.array(openFault),
  measurements: z.partialRecord(z.enum(sensorMeasurementNames), measurementSnapshot),
  /** Absent in snapshots written before sustained faults were counted: nothing counted yet. */
  repeats: z.array(repeatSnapshot).default([]),
});
export type SensorSnapshot = z.infer<typeof sensorSnapshot>;

const aheadClaim = z.strictObject({ sensorId, ms });

export const detectorSnapshot = z.strictObject({
  schema: z.literal('sensors.detector-state/v1'),
  watermarkMs: ms.nullable(),
  /** Accepted readings waiting for the watermark, in event-time order. */
  pending: z.array(sensorReading),
  /** The latest reading each sensor sent too far ahead of the watermark (see `DetectorState`). */
  aheadClaims: z.array(aheadClaim),
  sensors: z.array(sensorSnapshot),
});
export type DetectorSnapshot = z.infer<typeof detectorSnapshot>;

/**
 * The same state cut in three for storage, so that a chunk writes only what it changed: one small partition
 * part (the watermark and the claims ahead of it), one checkpoint per sensor (its checks), and the queued
 * readings one by one (each stored when admitted and deleted when released). A chunk writes the partition
 * part, the checkpoints of the sensors whose checks it moved, and the queue's changes; the stored
 * checkpoints of the others are still theirs, since nothing else changes a sensor. The queue is kept apart
 * because in live operation it is most of the state (the allowed lateness of every sensor's readings) and
 * changes by a few readings per chunk: rewritten with each checkpoint, it was most of what a chunk wrote.
 * `assembleSnapshot` puts the parts back together.
 */
export const partitionSnapshot = z.strictObject({
  schema: z.literal('sensors.detector-partition/v1'),
  watermarkMs: ms.nullable(),
  aheadClaims: z.array(aheadClaim),
});
export type PartitionSnapshot = z.infer<typeof partitionSnapshot>;

/** A sensor's checks as stored (its queued readings are stored apart, see above). */
export const sensorCheckpoint = sensorSnapshot;
export type SensorCheckpoint = z.infer<typeof sensorCheckpoint>;

/** A sensor that has readings queued and none checked yet: the checks of a sensor never seen. */
function unchecked(sensorId: string): SensorSnapshot {
  return { sensorId, lastMs: null, checked: [], faults: [], measurements: {}, repeats: [] };
}

/**
 * The whole snapshot from its stored parts (checkpoints and queued readings in any order; the queue back in
 * event-time order, sensor id on ties, as the detector releases it).
 */
export function assembleSnapshot(
  partition: PartitionSnapshot,
  checkpoints: readonly SensorCheckpoint[],
  queued: readonly SensorReading[],
): DetectorSnapshot {
  const byId = new Map(checkpoints.map((checkpoint) => [checkpoint.sensorId, checkpoint]));
  for (const reading of queued) {
    if (!byId.has(reading.sensor_id)) byId.set(reading.sensor_id, unchecked(reading.sensor_id));
  }
  const sensors = [...byId.values()].sort((a, b) => (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0));
  const pending = queued
    .map((reading) => ({ reading, ms: Date.parse(reading.timestamp) }))
    .sort((a, b) => a.ms - b.ms || (a.reading.sensor_id < b.reading.sensor_id ? -1 : 1))
    .map((item) => item.reading);
  return {
    schema: 'sensors.detector-state/v1',
    watermarkMs: partition.watermarkMs,
    pending,
    aheadClaims: partition.aheadClaims,
    sensors,
  };
}

import { z } from 'zod';

import { anomalyTypes } from '../anomaly';
import { sensorId, sensorMeasurementNames, sensorReading } from '../reading';

import { repeatedFaultTypes } from './limits';

/**
 * The detector's whole state as plain JSON: what a detector process stores (with the Kafka offsets it
 * covers) and reads back after a restart or a rebalance. Validated when read back, since it comes from
 * storage. Times are epoch milliseconds.
 */
const ms = z.number().finite();
const finite = z.number().finite();
const count = z.number().int().nonnegative();

const measurementSnapshot = z.strictObject({
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

export const detectorSnapshot = z.strictObject({
  schema: z.literal('sensors.detector-state/v1'),
  watermarkMs: ms.nullable(),
  /** Accepted readings waiting for the watermark, in event-time order. */
  pending: z.array(sensorReading),
  /** The latest reading each sensor sent too far ahead of the watermark (see `DetectorState`). */
  aheadClaims: z.array(z.strictObject({ sensorId, ms })),
  sensors: z.array(sensorSnapshot),
});
export type DetectorSnapshot = z.infer<typeof detectorSnapshot>;

import { z } from 'zod';

import { sensorMeasurementNames, type SensorMeasurementName, type SensorReading } from '../reading';

import {
  measurementSnapshot,
  sensorCheckpoint,
  type MeasurementSnapshot,
  type PartitionSnapshot,
  type SensorCheckpoint,
} from './snapshot';

/**
 * A sensor's checkpoint as stored: the same facts in fewer characters, since every chunk of a fast replay
 * rewrites the checkpoint of every sensor it touched (half the characters of a checkpoint were times and
 * repeated values). Exact both ways: `decodeCheckpoint(encodeCheckpoint(c))` equals `c`.
 * - a list of times (the checked ones, the step window's) is its first time and runs of equal gaps,
 *   `{start, gaps: [gap, times, gap, times, …]}`: a sensor on its schedule is a few numbers whatever the
 *   window; a list whose runs would not give back every time exactly stays a plain list;
 * - the step window's values, when they are the tail of the spike window (no excursion, no restart in
 *   between: the usual case), are the number of them (`{spikeTail: n}`).
 */

const finite = z.number().finite();
const maxRun = 1_000_000;

const storedTimes = z.union([
  z.array(finite),
  z
    .strictObject({ start: finite, gaps: z.array(finite) })
    .refine(
      ({ gaps }) =>
        gaps.length % 2 === 0 && gaps.every((n, i) => i % 2 === 0 || (Number.isInteger(n) && n > 0 && n <= maxRun)),
      'gaps is pairs of a gap and how many times it repeats (a positive integer)',
    ),
]);
type StoredTimes = z.infer<typeof storedTimes>;

function encodeTimes(times: readonly number[]): StoredTimes {
  if (times.length < 3) return [...times];
  const start = times[0] as number;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    if (gaps.length > 0 && gaps[gaps.length - 2] === gap) gaps[gaps.length - 1] = (gaps[gaps.length - 1] as number) + 1;
    else gaps.push(gap, 1);
  }
  const encoded = { start, gaps };
  const back = decodeTimes(encoded);
  return back.length === times.length && back.every((t, i) => t === times[i]) ? encoded : [...times];
}

function decodeTimes(stored: StoredTimes): number[] {
  if (Array.isArray(stored)) return stored;
  const times = [stored.start];
  let t = stored.start;
  for (let i = 0; i < stored.gaps.length; i += 2) {
    const gap = stored.gaps[i] as number;
    for (let n = stored.gaps[i + 1] as number; n > 0; n--) {
      t += gap;
      times.push(t);
    }
  }
  return times;
}

const stepValues = z.union([z.array(finite), z.strictObject({ spikeTail: z.number().int().nonnegative() })]);

const storedMeasurement = measurementSnapshot
  .extend({
    step: measurementSnapshot.shape.step.extend({ values: stepValues, times: storedTimes }),
  })
  .refine(
    ({ step, spike }) => Array.isArray(step.values) || step.values.spikeTail <= spike.window.length,
    'the step window is the tail of a spike window shorter than it',
  );
type StoredMeasurement = z.infer<typeof storedMeasurement>;

function encodeMeasurement(m: MeasurementSnapshot): StoredMeasurement {
  const window = m.spike.window;
  const values = m.step.values;
  const offset = window.length - values.length;
  const tail = offset >= 0 && values.every((v, i) => v === window[offset + i]);
  return {
    ...m,
    step: { ...m.step, values: tail ? { spikeTail: values.length } : [...values], times: encodeTimes(m.step.times) },
  };
}

function decodeMeasurement(m: StoredMeasurement): MeasurementSnapshot {
  const { values } = m.step;
  const window = m.spike.window;
  return {
    ...m,
    step: {
      ...m.step,
      values: Array.isArray(values) ? values : window.slice(window.length - values.spikeTail),
      times: decodeTimes(m.step.times),
    },
  };
}

function mapMeasurements<A, B>(
  measurements: Partial<Record<SensorMeasurementName, A>>,
  map: (m: A) => B,
): Partial<Record<SensorMeasurementName, B>> {
  const out: Partial<Record<SensorMeasurementName, B>> = {};
  for (const name of sensorMeasurementNames) {
    const m = measurements[name];
    if (m !== undefined) out[name] = map(m);
  }
  return out;
}

/** The stored form, validated and read back as the detector's checkpoint (it comes from storage). */
export const storedCheckpoint = sensorCheckpoint
  .extend({
    checked: storedTimes,
    measurements: z.partialRecord(z.enum(sensorMeasurementNames), storedMeasurement),
  })
  .transform((c): SensorCheckpoint => ({
    ...c,
    checked: decodeTimes(c.checked),
    measurements: mapMeasurements(c.measurements, decodeMeasurement),
  }));
export type StoredCheckpoint = z.input<typeof storedCheckpoint>;

export function encodeCheckpoint(checkpoint: SensorCheckpoint): StoredCheckpoint {
  return {
    ...checkpoint,
    checked: encodeTimes(checkpoint.checked),
    measurements: mapMeasurements(checkpoint.measurements, encodeMeasurement),
  };
}

/** A queued reading by its key in storage: its sensor and event time. */
export interface QueuedKey {
  sensorId: string;
  ms: number;
}

/**
 * What changed since the last call of `DetectorState.snapshotChanges`: the partition part, the checkpoints
 * of the sensors whose checks moved (in their stored form, plain JSON), the readings queued since that are
 * still waiting, and the readings released since that were queued before it (so already stored).
 */
export interface DetectorChanges {
  partition: PartitionSnapshot;
  sensors: StoredCheckpoint[];
  queued: SensorReading[];
  released: QueuedKey[];
}

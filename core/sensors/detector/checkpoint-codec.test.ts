import fc from 'fast-check';

import { AppError } from '../../errors';
import { alter, cleanSeries } from '../testing/series';
import { defaultDetectorThresholds as thresholds } from '../thresholds';

import { encodeCheckpoint, storedCheckpoint } from './checkpoint-codec';
import { createDetectorState } from './detector-state';
import { restoreFromCheckpoints } from './restore-checkpoints';
import type { MeasurementSnapshot, SensorCheckpoint } from './snapshot';

const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const roundTrip = (checkpoint: SensorCheckpoint) => storedCheckpoint.parse(throughJson(encodeCheckpoint(checkpoint)));

function measurement(window: number[], values: number[], times: number[]): MeasurementSnapshot {
  return {
    last: null,
    spike: { window, excursion: null },
    flatline: { value: null, startMs: 0, readings: 0 },
    step: { values, times, count: values.length, pendingAt: null },
  };
}

function checkpoint(checked: number[], pm: MeasurementSnapshot): SensorCheckpoint {
  return { sensorId: 'A', lastMs: null, checked, faults: [], measurements: { pm2_5: pm }, repeats: [] };
}

const partition = { schema: 'sensors.detector-partition/v1', watermarkMs: null, aheadClaims: [] };

describe('sensor checkpoints as stored', () => {
  it('when a sensor keeps its schedule, then its times are a start and a run, and its step window the tail of its spike window', () => {
    const times = Array.from({ length: 60 }, (_, i) => 1_705_287_240_000 + i * 60_000);
    const window = Array.from({ length: 120 }, (_, i) => 10 + (i % 7) / 10);
    const c = checkpoint(times, measurement(window, window.slice(60), times));

    const stored = encodeCheckpoint(c);

    expect(stored.checked).toEqual({ start: times[0], gaps: [60_000, 59] });
    expect(stored.measurements.pm2_5?.step).toMatchObject({ values: { spikeTail: 60 } });
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(c).length / 2);
    expect(roundTrip(c)).toEqual(c);
  });

  it('when times, windows and values are anything, then the stored form gives back exactly the checkpoint', () => {
    const value = fc.double({ noNaN: true, noDefaultInfinity: true });
    const time = fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const times = fc.oneof(
      fc.array(time, { maxLength: 40 }),
      fc
        .tuple(fc.integer({ min: 0, max: 2 ** 45 }), fc.array(fc.constantFrom(60_000, 61_000, 1), { maxLength: 40 }))
        .map(([start, gaps]) => gaps.reduce((list, gap) => [...list, (list.at(-1) as number) + gap], [start])),
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 30 }),
        fc.nat(40),
        fc.array(value, { maxLength: 5 }),
        times,
        times,
        (window, tail, own, checked, stepTimes) => {
          // Step values: a tail of the spike window, then sometimes values of their own after it.
          const values = [...window.slice(Math.max(0, window.length - tail)), ...own];
          const c = checkpoint(checked, measurement(window, values, stepTimes));

          expect(roundTrip(c)).toEqual(throughJson(c));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when a real detector has seen faults, then its stored checkpoints give back its snapshot', () => {
    let a = cleanSeries({ sensorId: 'A', seed: 4, minutes: 240, level: 12 });
    a = alter(a, 'pm2_5', 100, 102, (v) => v + 80);
    a = a.filter((_, i) => i < 150 || i >= 160);
    const detector = createDetectorState(thresholds);
    detector.ingest(a.slice(0, 200));
    const { partition: part, sensors, queued } = detector.snapshotChanges();

    const restored = restoreFromCheckpoints(
      { partition: throughJson(part), checkpoints: sensors.map(throughJson), queued: queued.map(throughJson) },
      thresholds,
    );

    expect(restored.snapshot()).toEqual(detector.snapshot());
  });

  it('when a stored checkpoint is damaged, then restoring fails with DETECTOR_SNAPSHOT', () => {
    const window = [1, 2, 3];
    const stored = throughJson(encodeCheckpoint(checkpoint([], measurement(window, [2, 3], [5, 6]))));
    const damaged = [
      { ...(stored as object), checked: { start: 0, gaps: [60_000] } },
      { ...(stored as object), checked: { start: 0, gaps: [60_000, 1.5] } },
      JSON.parse(JSON.stringify(stored).replace('"spikeTail":2', '"spikeTail":4')) as unknown,
    ];

    for (const bad of damaged) {
      const restore = () => restoreFromCheckpoints({ partition, checkpoints: [bad], queued: [] }, thresholds);

      expect(restore).toThrow(AppError);
      expect(restore).toThrow(/unreadable detector sensor checkpoint/);
    }
    expect(() => restoreFromCheckpoints({ partition, checkpoints: [stored], queued: [] }, thresholds)).not.toThrow();
  });

  it('when a stored queued reading is damaged, then restoring fails with DETECTOR_SNAPSHOT naming it', () => {
    const reading = cleanSeries({ sensorId: 'A', seed: 1, minutes: 1, level: 12 })[0];
    const damaged = { ...(throughJson(reading) as object), timestamp: 'yesterday' };

    const restore = () => restoreFromCheckpoints({ partition, checkpoints: [], queued: [damaged] }, thresholds);

    expect(restore).toThrow(AppError);
    expect(restore).toThrow(/unreadable detector queued reading/);
    expect(() => restoreFromCheckpoints({ partition, checkpoints: [], queued: [reading] }, thresholds)).not.toThrow();
  });
});

import fc from 'fast-check';

import type { SensorReading } from '../reading';
import { alter, cleanSeries, interleave, msOf, seededRandom, withMeasurement } from '../testing/series';
import { defaultDetectorThresholds as thresholds } from '../thresholds';

import { storedCheckpoint } from './checkpoint-codec';
import { createDetectorState, restoreDetectorState, type DetectorState } from './detector-state';
import type { DetectorOutput } from './outputs';
import { restoreFromCheckpoints } from './restore-checkpoints';
import { assembleSnapshot, type DetectorSnapshot, type PartitionSnapshot } from './snapshot';

/**
 * The detector's promises, over random arrival orders within the allowed lateness, random batch boundaries
 * and random restart points: the same flags and anomalies as a detector fed the stream in event-time order
 * in one go. The stream is three sensors for five hours with every per-reading fault in it.
 */
function faultyStream(seed: number): SensorReading[] {
  const minutes = 300;
  let a = cleanSeries({ sensorId: 'A', seed, minutes, level: 15 });
  a[40] = withMeasurement(a[40] as SensorReading, 'no2', -999);
  a = alter(a, 'pm2_5', 100, 101, (v) => v + 60);
  a = alter(a, 'pm2_5', 130, 150, () => 17.3);
  a = alter(a, 'pm2_5', 200, minutes, (v) => v + 20);
  a = a.filter((_, i) => i < 250 || i >= 262);
  let b = cleanSeries({ sensorId: 'B', seed: seed + 1, minutes });
  b = alter(b, 'pm10', 60, 64, () => -5);
  b = alter(b, 'pm10', 120, 121, (v) => v + 400);
  b = b.filter((_, i) => i < 180 || i >= 190);
  return interleave(a, b, cleanSeries({ sensorId: 'C', seed: seed + 2, minutes }));
}

/** Arrival order: each reading delayed by up to `maxDelayS` seconds (less than the allowed lateness). */
function arrivalOrder(stream: readonly SensorReading[], delaySeed: number, maxDelayS: number): SensorReading[] {
  const random = seededRandom(delaySeed);
  return stream
    .map((reading, i) => ({ reading, i, arrives: msOf(reading) + Math.floor(random() * (maxDelayS + 1)) * 1000 }))
    .sort((x, y) => x.arrives - y.arrives || x.i - y.i)
    .map((x) => x.reading);
}

/** Cuts `items` into batches of random sizes (1 to 50). */
function batches<T>(items: readonly T[], seed: number): T[][] {
  const random = seededRandom(seed);
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    const size = 1 + Math.floor(random() * 50);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

function detect(readings: readonly SensorReading[]): DetectorOutput[] {
  const detector = createDetectorState(thresholds);
  return [...detector.ingest(readings), ...detector.drain()];
}

const sensorOf = (o: DetectorOutput) => ('reading' in o ? o.reading.sensor_id : o.anomaly.sensor_id);
function perSensor(outputs: readonly DetectorOutput[]): Record<string, DetectorOutput[]> {
  const grouped: Record<string, DetectorOutput[]> = {};
  for (const o of outputs) (grouped[sensorOf(o)] ??= []).push(o);
  return grouped;
}

const maxDelayS = thresholds.allowedLatenessSeconds - 1;
const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  delaySeed: fc.integer(),
  maxDelay: fc.integer({ min: 0, max: maxDelayS }),
});

describe('DetectorState determinism', () => {
  it('when the stream is fed in order, then every kind of fault is in it (so the properties below test something)', () => {
    const types = new Set(
      detect(faultyStream(1)).flatMap((o) =>
        o.kind === 'anomaly_opened' ? [`${o.anomaly.sensor_id} ${o.anomaly.type}`] : [],
      ),
    );

    expect([...types].sort()).toEqual([
      'A dropout',
      'A flatline',
      'A out_of_range',
      'A spike',
      'A step',
      'B dropout',
      'B out_of_range',
      'B rate_of_change',
      'B spike',
    ]);
  });

  it('when readings arrive in any order within the allowed lateness, then each sensor gets the same flags and anomalies', () => {
    fc.assert(
      fc.property(scenario, ({ seed, delaySeed, maxDelay }) => {
        const stream = faultyStream(seed);
        const shuffled = detect(arrivalOrder(stream, delaySeed, maxDelay));

        expect(shuffled.filter((o) => o.kind === 'rejected' || o.kind === 'duplicate')).toEqual([]);
        expect(perSensor(shuffled)).toEqual(perSensor(detect(stream)));
      }),
      { numRuns: 15 },
    );
  });

  it('when the same arrivals come in batches of any sizes, then the outputs are the same, in the same order', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), ({ seed, delaySeed, maxDelay }, batchSeed) => {
        const arrivals = arrivalOrder(faultyStream(seed), delaySeed, maxDelay);
        const detector = createDetectorState(thresholds);
        const batched = [
          ...batches(arrivals, batchSeed).flatMap((batch) => detector.ingest(batch)),
          ...detector.drain(),
        ];

        expect(batched).toEqual(detect(arrivals));
      }),
      { numRuns: 15 },
    );
  });

  it('when the detector stops anywhere and is rebuilt from its stored snapshot, then the run ends with the outputs of one that never stopped', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ seed, delaySeed, maxDelay }, cutSeed) => {
        const arrivals = arrivalOrder(faultyStream(seed), delaySeed, maxDelay);
        const cut = cutSeed % (arrivals.length + 1);
        const first = createDetectorState(thresholds);
        const beforeCut = first.ingest(arrivals.slice(0, cut));
        const stored: unknown = JSON.parse(JSON.stringify(first.snapshot()));
        const rebuilt = restoreDetectorState(stored, thresholds);
        const afterCut = [...rebuilt.ingest(arrivals.slice(cut)), ...rebuilt.drain()];

        expect([...beforeCut, ...afterCut]).toEqual(detect(arrivals));
      }),
      { numRuns: 15 },
    );
  });

  it('when the readings just before the cut are delivered again after the rebuild, then they are duplicates and change nothing', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.nat(),
        fc.integer({ min: 1, max: 5 }),
        ({ seed, delaySeed, maxDelay }, cutSeed, again) => {
          const arrivals = arrivalOrder(faultyStream(seed), delaySeed, maxDelay);
          const cut = again + (cutSeed % (arrivals.length - again));
          const first = createDetectorState(thresholds);
          const beforeCut = first.ingest(arrivals.slice(0, cut));
          const rebuilt = restoreDetectorState(JSON.parse(JSON.stringify(first.snapshot())), thresholds);
          const afterCut = [...rebuilt.ingest(arrivals.slice(cut - again)), ...rebuilt.drain()];
          const all = [...beforeCut, ...afterCut];

          expect(all.filter((o) => o.kind !== 'duplicate')).toEqual(detect(arrivals));
          expect(all.flatMap((o) => (o.kind === 'duplicate' ? [o.reading] : []))).toEqual(
            arrivals.slice(cut - again, cut),
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});

/** What the process keeps in PostgreSQL: the partition part and one checkpoint per sensor, as JSON text. */
class StoredParts {
  private partition: string | undefined;
  private readonly checkpoints = new Map<string, string>();

  store(detector: DetectorState): void {
    const changes = detector.snapshotChanges();
    this.partition = JSON.stringify(changes.partition);
    for (const checkpoint of changes.sensors) this.checkpoints.set(checkpoint.sensorId, JSON.stringify(checkpoint));
  }

  restore(): DetectorState {
    const parse = (text: string): unknown => JSON.parse(text);
    return restoreFromCheckpoints(
      parse(this.partition as string),
      [...this.checkpoints.values()].map(parse),
      thresholds,
    );
  }

  assembled(): DetectorSnapshot {
    const parse = <T>(text: string) => JSON.parse(text) as T;
    return assembleSnapshot(
      parse<PartitionSnapshot>(this.partition as string),
      [...this.checkpoints.values()].map((text) => storedCheckpoint.parse(JSON.parse(text))),
    );
  }
}

describe('DetectorState stored in parts (a partition part and the checkpoints of the sensors each chunk touched)', () => {
  it('when the changes of every batch are stored, then the stored parts always add up to the whole snapshot', () => {
    // Small batches, so that a sensor's silence is often judged in a batch without its readings.
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 8 }), ({ seed, delaySeed, maxDelay }, size) => {
        const arrivals = arrivalOrder(faultyStream(seed), delaySeed, maxDelay);
        const detector = createDetectorState(thresholds);
        const stored = new StoredParts();
        const differing: number[] = [];
        for (let i = 0; i < arrivals.length; i += size) {
          detector.ingest(arrivals.slice(i, i + size));
          stored.store(detector);
          if (JSON.stringify(stored.assembled()) !== JSON.stringify(detector.snapshot())) differing.push(i);
        }
        detector.drain();
        stored.store(detector);

        expect(differing).toEqual([]);
        expect(stored.assembled()).toEqual(detector.snapshot());
      }),
      { numRuns: 5 },
    );
  });

  it('when the detector is rebuilt from the stored parts after any batches, any number of times, then the run ends with the outputs of one that never stopped', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.integer(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        ({ seed, delaySeed, maxDelay }, batchSeed, cutSeeds) => {
          const arrivals = arrivalOrder(faultyStream(seed), delaySeed, maxDelay);
          const chunks = batches(arrivals, batchSeed);
          const cuts = new Set(cutSeeds.map((cut) => cut % chunks.length));
          const stored = new StoredParts();
          let detector = createDetectorState(thresholds);
          const outputs: DetectorOutput[] = [];
          chunks.forEach((chunk, i) => {
            if (cuts.has(i) && i > 0) detector = stored.restore();
            outputs.push(...detector.ingest(chunk));
            stored.store(detector);
          });
          outputs.push(...stored.restore().drain());

          expect(outputs).toEqual(detect(arrivals));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('when a batch names one sensor and releases nothing, then only that sensor is stored again', () => {
    const arrivals = faultyStream(7);
    const detector = createDetectorState(thresholds);
    detector.ingest(arrivals.slice(0, 300));
    detector.snapshotChanges();
    const lastMs = Math.max(...arrivals.slice(0, 300).map(msOf));
    // Behind the watermark, within the lateness: queued, and nothing is released by it.
    const late = arrivals.slice(300).find((r) => r.sensor_id === 'C' && msOf(r) > lastMs) as SensorReading;
    const quiet = { ...late, timestamp: new Date(lastMs - 60_000 + 1000).toISOString().replace('.000Z', 'Z') };

    const outputs = detector.ingest([quiet]);
    const changes = detector.snapshotChanges();

    expect(outputs).toEqual([]);
    expect(changes.sensors.map((s) => s.sensorId)).toEqual(['C']);
    expect(changes.sensors[0]?.pending.map((r) => r.timestamp)).toContain(quiet.timestamp);
    expect(detector.snapshotChanges().sensors).toEqual([]);
  });
});

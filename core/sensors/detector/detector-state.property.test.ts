import fc from 'fast-check';

import { anomalyId } from '../anomaly';
import { sensorMeasurementNames, type SensorReading } from '../reading';
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
 * in one go. The stream is four sensors for five hours with every per-reading fault in it, the sustained
 * faults made of repeated ones (out-of-range values and spikes of sensor C), and a flatline of sensor D
 * long enough to restart the spike and step windows and refill them afterwards.
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
  let c = cleanSeries({ sensorId: 'C', seed: seed + 2, minutes, level: 15 });
  for (const i of [100, 110, 120, 130, 140]) c = alter(c, 'pm2_5', i, i + 1, (v) => v + 60);
  for (let i = 150; i <= 219; i += 3) c[i] = withMeasurement(c[i] as SensorReading, 'no2', -999);
  // D's NO2 stuck away from its level for an hour: the spike and step windows restart when it is found.
  const d = alter(cleanSeries({ sensorId: 'D', seed: seed + 3, minutes }), 'no2', 100, 160, () => 80);
  return interleave(a, b, c, d);
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
/** Out-of-range anomalies are decided at admission, so they come out in arrival order. */
const onAdmission = (o: DetectorOutput) => 'anomaly' in o && o.anomaly.type === 'out_of_range';
const order = (o: DetectorOutput) => ('anomaly' in o ? `${o.anomaly.id} ${o.kind}` : '');

/** Per sensor: what is decided at release, in order, and what at admission, as a set (sorted). */
function perSensor(
  outputs: readonly DetectorOutput[],
): Record<string, { released: DetectorOutput[]; admitted: DetectorOutput[] }> {
  const grouped: Record<string, { released: DetectorOutput[]; admitted: DetectorOutput[] }> = {};
  for (const o of outputs) {
    const group = (grouped[sensorOf(o)] ??= { released: [], admitted: [] });
    (onAdmission(o) ? group.admitted : group.released).push(o);
  }
  for (const group of Object.values(grouped)) group.admitted.sort((x, y) => (order(x) < order(y) ? -1 : 1));
  return grouped;
}

/** The ids of the out-of-range anomalies a reading shows on its own. */
function outOfRangeIds(reading: SensorReading): string[] {
  return sensorMeasurementNames.flatMap((name) => {
    const value = reading.measurements[name];
    const { min, max } = thresholds.measurements[name];
    const bad = value !== undefined && (value < min || value > max || thresholds.sentinels.includes(value));
    return bad
      ? [anomalyId({ sensorId: reading.sensor_id, type: 'out_of_range', measurement: name, start: reading.timestamp })]
      : [];
  });
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
      'C frequent_spikes',
      'C out_of_range',
      'C repeated_out_of_range',
      'C spike',
      'D flatline',
    ]);
  });

  it('when readings arrive in any order, then each out-of-range value is reported by the call that admits it, before the reading is checked', () => {
    fc.assert(
      fc.property(scenario, ({ seed, delaySeed, maxDelay }) => {
        const detector = createDetectorState(thresholds);
        for (const reading of arrivalOrder(faultyStream(seed), delaySeed, maxDelay)) {
          const outputs = detector.ingest([reading]);
          const admitted = outputs.flatMap((o) => (o.kind === 'anomaly_opened' && onAdmission(o) ? [o.anomaly] : []));

          expect(admitted.map((a) => a.id)).toEqual(outOfRangeIds(reading));
          expect(admitted.every((a) => a.window.start === a.window.end && a.detected_at === a.window.start)).toBe(true);
          expect(outputs.some((o) => o.kind === 'reading' && o.reading === reading)).toBe(false);
        }
      }),
      { numRuns: 10 },
    );
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

/**
 * What the process keeps in PostgreSQL: the partition part, one checkpoint per sensor and one row per
 * queued reading, as JSON text.
 */
class StoredParts {
  private partition: string | undefined;
  private readonly checkpoints = new Map<string, string>();
  private readonly queue = new Map<string, string>();

  store(detector: DetectorState): void {
    const changes = detector.snapshotChanges();
    this.partition = JSON.stringify(changes.partition);
    for (const checkpoint of changes.sensors) this.checkpoints.set(checkpoint.sensorId, JSON.stringify(checkpoint));
    for (const key of changes.released) this.queue.delete(`${key.sensorId}@${key.ms}`);
    for (const reading of changes.queued)
      this.queue.set(`${reading.sensor_id}@${msOf(reading)}`, JSON.stringify(reading));
  }

  get queuedRows(): number {
    return this.queue.size;
  }

  restore(): DetectorState {
    const parse = (text: string): unknown => JSON.parse(text);
    return restoreFromCheckpoints(
      {
        partition: parse(this.partition as string),
        checkpoints: [...this.checkpoints.values()].map(parse),
        queued: [...this.queue.values()].map(parse),
      },
      thresholds,
    );
  }

  assembled(): DetectorSnapshot {
    const parse = <T>(text: string) => JSON.parse(text) as T;
    return assembleSnapshot(
      parse<PartitionSnapshot>(this.partition as string),
      [...this.checkpoints.values()].map((text) => storedCheckpoint.parse(JSON.parse(text))),
      [...this.queue.values()].map((text) => parse<SensorReading>(text)),
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
        expect(stored.queuedRows).toBe(0);
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

  it('when a batch names one sensor and releases nothing, then only its reading is stored, in the queue', () => {
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
    expect(changes.sensors).toEqual([]);
    expect(changes.queued).toEqual([quiet]);
    expect(changes.released).toEqual([]);
    expect(detector.snapshotChanges()).toMatchObject({ sensors: [], queued: [], released: [] });
  });
});

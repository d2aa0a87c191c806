import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type pg from 'pg';

import { migrate, migrationsDir, readMigrations } from '../../adapters/postgres/migrations';
import { commitDetectorChunk, loadPartitionState } from '../../adapters/postgres/sensor-stream';
import { createDetectorState, type DetectorState } from '../../core/sensors/detector/detector-state';
import type { DetectorOutput } from '../../core/sensors/detector/outputs';
import { restoreFromCheckpoints } from '../../core/sensors/detector/restore-checkpoints';
import type { SensorReading } from '../../core/sensors/reading';
import { alter, cleanSeries, interleave } from '../../core/sensors/testing/series';
import { defaultDetectorThresholds as thresholds } from '../../core/sensors/thresholds';

import { withScratchDatabase } from './scratch-database';

/**
 * The detector's state in PostgreSQL: a partition row and one checkpoint row per sensor, written by
 * `commitDetectorChunk` with only the sensors a chunk touched, read back by `loadPartitionState`; and
 * migration 0012 turning a whole stored snapshot (as 0008 kept it) into those rows.
 */
const topic = 'sensors.raw';

/** Three sensors for four hours, one with a spike and a silence. */
function stream(): SensorReading[] {
  let a = cleanSeries({ sensorId: 'A', seed: 11, minutes: 240, level: 14 });
  a = alter(a, 'pm2_5', 90, 91, (v) => v + 70);
  a = a.filter((_, i) => i < 150 || i >= 158);
  return interleave(
    a,
    cleanSeries({ sensorId: 'B', seed: 12, minutes: 240 }),
    cleanSeries({ sensorId: 'C', seed: 13, minutes: 240 }),
  );
}

function uninterrupted(readings: readonly SensorReading[]): DetectorOutput[] {
  const detector = createDetectorState(thresholds);
  return [...detector.ingest(readings), ...detector.drain()];
}

async function commitChanges(pool: pg.Pool, detector: DetectorState, nextOffset: number): Promise<void> {
  await commitDetectorChunk(pool, {
    topic,
    partition: 0,
    nextOffset: String(nextOffset),
    state: detector.snapshotChanges(),
    readings: [],
    anomalies: [],
    sightings: [],
    locations: [],
    outbox: [],
  });
}

async function restored(pool: pg.Pool): Promise<{ detector: DetectorState; nextOffset: string }> {
  const stored = await loadPartitionState(pool, topic, 0);
  if (stored === undefined) throw new Error('no stored state');
  return {
    detector: restoreFromCheckpoints(stored, thresholds),
    nextOffset: stored.nextOffset,
  };
}

describe('the detector state in PostgreSQL', () => {
  it('when chunks store only the sensors they touched, then the rows read back continue exactly as the detector that never stopped', async () => {
    await withScratchDatabase(
      'aqi_detector_state_rows',
      async (pool) => {
        const readings = stream();
        const detector = createDetectorState(thresholds);
        const before: DetectorOutput[] = [];
        for (let i = 0; i < 400; i += 100) {
          before.push(...detector.ingest(readings.slice(i, i + 100)));
          await commitChanges(pool, detector, i + 100);
        }
        // A chunk of C alone, within the lateness, releasing nothing: the reading joins the queue's rows, and
        // every checkpoint row is left as it was (admitting a reading moves no check).
        const rowsBefore = await pool.query<{ sensor_id: string; checkpoint: string }>(
          'SELECT sensor_id, checkpoint FROM sensor_detector_sensor_state ORDER BY sensor_id',
        );
        const quiet = readings.slice(400).filter((r) => r.sensor_id === 'C')[0] as SensorReading;
        before.push(...detector.ingest([quiet]));
        await commitChanges(pool, detector, 401);
        const rowsAfter = await pool.query<{ sensor_id: string; checkpoint: string }>(
          'SELECT sensor_id, checkpoint FROM sensor_detector_sensor_state ORDER BY sensor_id',
        );
        const queuedOfC = await pool.query<{ reading: string }>(
          `SELECT reading FROM sensor_detector_queue WHERE sensor_id = 'C' ORDER BY observed_ms`,
        );
        const rest = readings.slice(400).filter((r) => r !== quiet);

        const { detector: back, nextOffset } = await restored(pool);
        const restoredSnapshot = back.snapshot();
        const after = [...back.ingest(rest), ...back.drain()];

        expect(nextOffset).toBe('401');
        expect(rowsAfter.rows.map((r) => r.sensor_id)).toEqual(['A', 'B', 'C']);
        expect(rowsAfter.rows).toEqual(rowsBefore.rows);
        expect(queuedOfC.rows.map((r) => JSON.parse(r.reading) as unknown)).toContainEqual(quiet);
        expect(restoredSnapshot).toEqual(detector.snapshot());
        expect([...before, ...after]).toEqual(uninterrupted([...readings.slice(0, 400), quiet, ...rest]));
      },
      { migrated: true },
    );
  });

  it('when a whole snapshot was stored before migration 0012, then the migration turns it into rows that continue exactly as the detector that never stopped', async () => {
    await withScratchDatabase('aqi_detector_state_migration', async (pool) => {
      const before0012 = mkdtempSync(path.join(tmpdir(), 'aqi-migrations-'));
      for (const m of readMigrations().filter((m) => m.version < '0012')) {
        const file = `${m.version}_${m.name}.sql`;
        copyFileSync(path.join(migrationsDir, file), path.join(before0012, file));
      }
      await migrate(pool, before0012);
      const readings = stream();
      const detector = createDetectorState(thresholds);
      const first = detector.ingest(readings.slice(0, 500));
      const whole = detector.snapshot();
      await pool.query(
        `INSERT INTO sensor_detector_state (topic, partition, next_offset, snapshot) VALUES ($1, 0, 500, $2)`,
        [topic, JSON.stringify(whole)],
      );

      const applied = await migrate(pool);
      const { detector: back, nextOffset } = await restored(pool);
      const restoredSnapshot = back.snapshot();
      const rest = [...back.ingest(readings.slice(500)), ...back.drain()];

      expect(applied).toContain('0012_sensor_detector_sensor_state');
      expect(whole.pending.length).toBeGreaterThan(0);
      expect(nextOffset).toBe('500');
      expect(restoredSnapshot).toEqual(whole);
      expect([...first, ...rest]).toEqual(uninterrupted(readings));
    });
  });
});

import { storeReadings, type ReadingToStore } from '../../adapters/postgres/readings-store';
import { AppError } from '../../core/errors';

import { withScratchDatabase } from './scratch-database';

const hour = (h: number) => `2024-03-01T${String(h).padStart(2, '0')}:00:00Z`;

function row(locationId: string, h: number, pm2_5: number | null): ReadingToStore {
  return {
    locationId,
    reading: {
      latitude: 45.7,
      longitude: 4.8,
      observedAt: hour(h),
      values: { pm2_5, pm10: 20, uv_index: null },
      reported: { european_aqi: 30 },
    },
    indices: [
      { method: 'eaqi-open-meteo-pre-2026-08', value: 31.5, dominant: 'pm10' },
      { method: 'eaqi-eea-2024', value: 44, dominant: 'pm2_5' },
    ],
  };
}

const meta = { source: 'test', runId: 'run-1' };

describe('storing readings in PostgreSQL (COPY into staging, then upsert)', () => {
  it('when the same readings are stored twice, then the second time writes nothing', async () => {
    await withScratchDatabase(
      'aqi_store_replay',
      async (pool) => {
        const rows = [row('lyon', 0, 5), row('lyon', 1, 6), row('paris', 0, 7)];

        const first = await storeReadings(pool, rows, meta);
        const second = await storeReadings(pool, rows, { ...meta, runId: 'run-2' });

        expect(first).toEqual({ written: 3, unchanged: 0, indicesWritten: 6 });
        expect(second).toEqual({ written: 0, unchanged: 3, indicesWritten: 0 });
        const counts = await pool.query(
          'SELECT (SELECT count(*)::int FROM readings) AS readings, (SELECT count(*)::int FROM reading_indices) AS indices',
        );
        expect(counts.rows[0]).toEqual({ readings: 3, indices: 6 });
      },
      { migrated: true },
    );
  });

  it('when readings are deleted, then their indices go with them and the others stay', async () => {
    await withScratchDatabase(
      'aqi_store_delete',
      async (pool) => {
        await storeReadings(pool, [row('lyon', 0, 5), row('lyon', 1, 6), row('paris', 0, 7)], meta);

        await pool.query(`DELETE FROM readings WHERE location_id = 'lyon' AND observed_at = $1`, [hour(0)]);

        const { rows } = await pool.query<{ location_id: string; n: number }>(
          'SELECT location_id, count(*)::int AS n FROM reading_indices GROUP BY location_id ORDER BY location_id',
        );
        expect(rows).toEqual([
          { location_id: 'lyon', n: 2 },
          { location_id: 'paris', n: 2 },
        ]);
        const orphans = await pool.query(
          'SELECT count(*)::int AS n FROM reading_indices i LEFT JOIN readings r USING (location_id, observed_at) WHERE r.location_id IS NULL',
        );
        expect(orphans.rows[0]).toEqual({ n: 0 });
      },
      { migrated: true },
    );
  });

  it('when a stored hour comes again with a corrected value, then only that row is rewritten', async () => {
    await withScratchDatabase(
      'aqi_store_update',
      async (pool) => {
        await storeReadings(pool, [row('lyon', 0, 5), row('lyon', 1, 6)], meta);

        const result = await storeReadings(pool, [row('lyon', 0, 5), row('lyon', 1, 9.5)], { ...meta, runId: 'run-2' });

        expect(result).toMatchObject({ written: 1, unchanged: 1 });
        const { rows } = await pool.query(
          `SELECT pm2_5, pm10, uv_index, reported_european_aqi, run_id FROM readings WHERE observed_at = $1`,
          [hour(1)],
        );
        expect(rows).toEqual([{ pm2_5: 9.5, pm10: 20, uv_index: null, reported_european_aqi: 30, run_id: 'run-2' }]);
      },
      { migrated: true },
    );
  });

  it('when one batch holds the same hour twice, then the later one is kept', async () => {
    await withScratchDatabase(
      'aqi_store_duplicates',
      async (pool) => {
        const result = await storeReadings(pool, [row('lyon', 0, 5), row('lyon', 0, 8)], meta);

        const { rows } = await pool.query('SELECT pm2_5 FROM readings');
        expect(result).toMatchObject({ written: 1, unchanged: 0 });
        expect(rows).toEqual([{ pm2_5: 8 }]);
      },
      { migrated: true },
    );
  });

  it('when a reading names an unknown location, then nothing of the batch is stored', async () => {
    await withScratchDatabase(
      'aqi_store_unknown',
      async (pool) => {
        const error = await storeReadings(pool, [row('lyon', 0, 5), row('atlantis', 0, 5)], meta).catch(
          (err: unknown) => err,
        );

        const { rows } = await pool.query('SELECT count(*)::int AS n FROM readings');
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'UNKNOWN_LOCATION' });
        expect(rows[0]).toEqual({ n: 0 });
      },
      { migrated: true },
    );
  });
});

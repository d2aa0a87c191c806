import { readFileSync } from 'node:fs';

import { storeReadings } from '../../adapters/postgres/readings-store';
import { bundledExports } from '../../config/bundled-data';
import { indicesForPlace } from '../../core/air-quality/indices';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';

import { withScratchDatabase } from './scratch-database';

// Real data: the Lyon 2024 export (Air quality data by Open-Meteo.com (CAMS), CC BY 4.0).
const lyonCsv = bundledExports.lyon2024;

jest.setTimeout(120_000);

describe('storing a real year of readings', () => {
  it('when the Lyon 2024 export is stored twice, then there are exactly 8,784 readings and the replay writes none', async () => {
    const readings = parseOpenMeteoCsv(readFileSync(lyonCsv, 'utf8'));
    const indices = indicesForPlace(readings);
    const rows = readings.map((reading, i) => ({ locationId: 'lyon', reading, indices: indices[i] ?? [] }));

    await withScratchDatabase(
      'aqi_lyon_year',
      async (pool) => {
        const first = await storeReadings(pool, rows, { source: 'csv', runId: 'lyon-2024' });
        const replay = await storeReadings(pool, rows, { source: 'csv', runId: 'lyon-2024-again' });

        const { rows: counts } = await pool.query(
          `SELECT count(*)::int AS readings, min(observed_at) AS first, max(observed_at) AS last,
                  (SELECT count(DISTINCT method)::int FROM reading_indices) AS methods
           FROM readings WHERE location_id = 'lyon'`,
        );
        expect(first).toMatchObject({ written: 8784, unchanged: 0 });
        expect(replay).toEqual({ written: 0, unchanged: 8784, indicesWritten: 0 });
        expect(counts[0]).toEqual({
          readings: 8784,
          first: new Date('2024-01-01T00:00:00Z'),
          last: new Date('2024-12-31T23:00:00Z'),
          methods: 3,
        });
      },
      { migrated: true },
    );
  });
});

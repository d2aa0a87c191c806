import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { runBundledPipeline } from '../../cli/bundled-pipeline';

import { testConfig } from './test-env';

const config = testConfig();

jest.setTimeout(180_000);

describe('the pipeline npm start runs on the bundled data', () => {
  it('when it has run (at stack start) and runs again, then every bundled hour is stored exactly once', async () => {
    const client = await connectTemporal(config);
    const pool = createPool(config, { max: 2 });
    try {
      const run = await runBundledPipeline(client, pool, config, () => undefined);

      const { rows } = await pool.query<{ location_id: string; n: number }>(
        'SELECT location_id, count(*)::int AS n FROM readings GROUP BY location_id ORDER BY location_id',
      );
      // Lyon: the 2024 export (8,784 h) and the two days of the 3-city file; Paris and Marseille: those two days.
      expect(rows).toEqual([
        { location_id: 'lyon', n: 8784 + 48 },
        { location_id: 'marseille', n: 48 },
        { location_id: 'paris', n: 48 },
      ]);
      expect(run.healthy).toBe(true);
      expect(run.lines.filter((l) => l.startsWith('backfill'))).toHaveLength(2);
      expect(run.lines.find((l) => l.startsWith('hourly lyon 2024-12-31T23:00:00Z'))).toMatch(/3 published, 3 stored/);
      expect(run.lines.filter((l) => /^quality .*: (pass|warn) \(report \d+\)/.test(l))).toHaveLength(2);
    } finally {
      await client.connection.close();
      await pool.end();
    }
  });
});

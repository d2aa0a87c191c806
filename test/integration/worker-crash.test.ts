import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { appProcesses } from '../../stack/app-processes';
import { stackLayout } from '../../stack/layout';
import { isAlive } from '../../stack/processes';
import { ingestHistory, ingestHistoryProgressQuery } from '../../workflows/ingest-history';

import { supervisedPid, testConfig, testEnv } from './test-env';

const config = testConfig();
// The restarted worker inherits this process's environment: it must point at the test stack.
Object.assign(process.env, testEnv);

jest.setTimeout(240_000);

describe('a backfill survives its worker being killed', () => {
  it('when the worker is SIGKILLed mid-backfill and started again, then the Lyon year still ends with exactly 8,784 rows', async () => {
    const pool = createPool(config, { max: 2 });
    const client = await connectTemporal(config);
    const worker = appProcesses(config, stackLayout(config)).find((p) => p.name === 'worker');
    if (!worker) throw new Error('no worker process defined');
    const year = `location_id = 'lyon' AND observed_at >= '2024-01-01' AND observed_at < '2025-01-01'`;
    try {
      // Start from an empty year so the rows really are written by this run.
      await pool.query(`DELETE FROM readings WHERE ${year}`);
      const { handle } = await startOrJoin(client, config, ingestHistory, `crash-test-lyon-2024-${Date.now()}`, {
        locationIds: ['lyon'],
        from: '2024-01-01T00:00:00Z',
        to: '2024-12-31T23:00:00Z',
        maxParallelChunks: 1,
      });
      for (let done = 0; done < 2;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        done = (await handle.query(ingestHistoryProgressQuery)).chunksDone;
      }

      const pid = supervisedPid('worker');
      process.kill(pid, 'SIGKILL');
      while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
      const stored = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM readings WHERE ${year}`)).rows[0]
        ?.n;
      await worker.start();
      const result = await handle.result();

      const { rows } = await pool.query<{ n: number; distinct_hours: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT observed_at)::int AS distinct_hours FROM readings WHERE ${year}`,
      );
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(8784);
      expect(result.chunksDone).toBe(12);
      expect(rows[0]).toEqual({ n: 8784, distinct_hours: 8784 });
    } finally {
      await worker.start(); // leave a worker running for the tests after this one, whatever happened
      await client.connection.close();
      await pool.end();
    }
  });
});

import type { Client } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { Producer } from 'kafkajs';

import { createIngestionActivities } from '../../activities/ingestion';
import { createPool } from '../../adapters/postgres/pool';
import { createPostgresRepositories } from '../../adapters/postgres/repositories';
import { connectTemporal } from '../../adapters/temporal/client';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { dataQualityWorkId, ingestHistoryWorkId, ingestHourlyWorkId } from '../../core/work-ids/work-ids';
import { checkDataQuality } from '../../workflows/check-data-quality';
import { ingestHistory, ingestHistoryProgressQuery } from '../../workflows/ingest-history';
import { ingestHourly } from '../../workflows/ingest-hourly';

import { testConfig } from './test-env';

/**
 * The ingestion workflows on the test stack: its pipeline worker, its stream processor and its replay
 * server over the real Lyon 2024 export (Air quality data by Open-Meteo.com (CAMS), CC BY 4.0). The stack
 * was started like `npm start`, whose bundled pipeline may already have stored these hours: assertions
 * hold either way (written + unchanged), which is the idempotency being tested.
 */
const config = testConfig();
const pool = createPool(config, { max: 2 });
let client: Client;

jest.setTimeout(180_000);

beforeAll(async () => {
  client = await connectTemporal(config);
});
afterAll(async () => {
  await client.connection.close();
  await pool.end();
});

const count = async (from: string, to: string) =>
  (
    await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM readings WHERE location_id = 'lyon' AND observed_at BETWEEN $1 AND $2`,
      [from, to],
    )
  ).rows[0]?.n;

describe('ingestHistory (backfill)', () => {
  const from = '2024-02-01T00:00:00Z';
  const to = '2024-03-31T23:00:00Z';

  it('when run as a dry run, then it returns the chunk plan and writes nothing', async () => {
    const id = `${ingestHistoryWorkId(['lyon'], from, to)}-dry-run`;
    const before = await count(from, to);
    const { handle } = await startOrJoin(client, config, ingestHistory, id, {
      locationIds: ['lyon'],
      from,
      to,
      dryRun: true,
    });

    const result = await handle.result();

    expect(result.dryRun).toBe(true);
    expect(result.chunks).toEqual([
      { locationId: 'lyon', from, to: '2024-02-29T23:00:00Z' },
      { locationId: 'lyon', from: '2024-03-01T00:00:00Z', to },
    ]);
    expect(await count(from, to)).toBe(before);
  });

  it('when two months are backfilled, then every hour is stored once, and running it again changes nothing', async () => {
    const id = ingestHistoryWorkId(['lyon'], from, to);
    const first = await startOrJoin(client, config, ingestHistory, id, { locationIds: ['lyon'], from, to });
    const result = await first.handle.result();
    const progress = await first.handle.query(ingestHistoryProgressQuery);

    const again = await startOrJoin(client, config, ingestHistory, id, { locationIds: ['lyon'], from, to });

    expect(result).toMatchObject({ chunksTotal: 2, chunksDone: 2, rowsFetched: 1440 });
    expect(result.rowsWritten + result.rowsUnchanged).toBe(1440);
    expect(progress).toEqual({
      chunksTotal: 2,
      chunksDone: 2,
      rowsFetched: 1440,
      rowsWritten: result.rowsWritten,
      rowsUnchanged: result.rowsUnchanged,
    });
    expect(again.started).toBe(false);
    expect(await count(from, to)).toBe(1440);
    const description = await first.handle.describe();
    expect(description.searchAttributes).toMatchObject({ AqiPipeline: ['ingestHistory'], AqiLocations: ['lyon'] });
  });

  it('when an overlapping range is backfilled, then the overlap is recognised as unchanged', async () => {
    const overlapFrom = '2024-03-31T00:00:00Z';
    const overlapTo = '2024-04-01T23:00:00Z';
    const { handle } = await startOrJoin(
      client,
      config,
      ingestHistory,
      ingestHistoryWorkId(['lyon'], overlapFrom, overlapTo),
      {
        locationIds: ['lyon'],
        from: overlapFrom,
        to: overlapTo,
      },
    );

    const result = await handle.result();

    expect(result.rowsFetched).toBe(48);
    expect(result.rowsWritten + result.rowsUnchanged).toBe(48);
    expect(result.rowsUnchanged).toBeGreaterThanOrEqual(24);
  });

  it('when the range is outside the data the source holds, then the run fails at once without retrying', async () => {
    const badFrom = '2019-01-01T00:00:00Z';
    const badTo = '2019-01-01T23:00:00Z';
    const { handle } = await startOrJoin(client, config, ingestHistory, ingestHistoryWorkId(['lyon'], badFrom, badTo), {
      locationIds: ['lyon'],
      from: badFrom,
      to: badTo,
    });

    const error = await handle.result().catch((err: unknown) => err);

    expect(error).toBeInstanceOf(WorkflowFailedError);
    // Refused by the source plan, before any chunk is fetched: what is missing, what is held, how to go live.
    const message = String(((error as WorkflowFailedError).cause?.cause as Error | undefined)?.message);
    expect(message).toContain(
      'the export near lyon (45.764, 4.8357) does not hold all of 2019-01-01T00:00..2019-01-01T23:00',
    );
    expect(message).toContain('It holds: Lyon (45.7, 4.800001) 2024-01-01T00:00..2024-12-31T23:00');
    expect(message).toContain('AQI_SOURCE=open-meteo');
  });
});

describe('checkDataQuality', () => {
  it('when the backfilled window is checked, then a report is stored and its verdict is not a failure', async () => {
    const from = '2024-02-01T00:00:00Z';
    const to = '2024-03-01T00:00:00Z';
    const { handle } = await startOrJoin(client, config, checkDataQuality, dataQualityWorkId(['lyon'], from, to), {
      locationIds: ['lyon'],
      from,
      to,
    });

    const outcome = await handle.result();

    const { rows } = await pool.query('SELECT verdict, location_ids FROM quality_reports WHERE id = $1', [
      outcome.reportId,
    ]);
    expect(outcome.rowsChecked).toBe(696);
    expect(['pass', 'warn']).toContain(outcome.verdict);
    expect(rows).toEqual([{ verdict: outcome.verdict, location_ids: ['lyon'] }]);
  });

  it('when the window has no data at all, then the run fails with a DataQualityError carrying the report id', async () => {
    const from = '2023-01-01T00:00:00Z';
    const to = '2023-01-02T00:00:00Z';
    const { handle } = await startOrJoin(client, config, checkDataQuality, dataQualityWorkId(['paris'], from, to), {
      locationIds: ['paris'],
      from,
      to,
    });

    const error = (await handle.result().catch((err: unknown) => err)) as WorkflowFailedError;

    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(error.cause).toMatchObject({ type: 'DataQualityError', nonRetryable: true });
    expect((error.cause as Error | undefined)?.message).toMatch(/report \d+.*completeness/);
  });
});

describe('ingestHourly (through Kafka and the stream processor)', () => {
  it('when an hour is ingested, then its readings go through aqi.raw and are stored with their indices', async () => {
    const hour = '2024-12-31T23:00:00Z';
    const { handle } = await startOrJoin(client, config, ingestHourly, ingestHourlyWorkId(['lyon'], hour), {
      locationIds: ['lyon'],
      hour,
    });

    const result = await handle.result();

    expect(result).toMatchObject({ from: '2024-12-31T21:00:00Z', to: hour, published: 3, persisted: 3 });
    // npm start ingested this hour before its champions existed (this joins that run): the scoring step ran,
    // with nothing to score. What it logs is test/integration/live-accuracy.test.ts's subject.
    expect(result.scoring).toMatchObject({ models: expect.any(Array), resolved: expect.any(Number) });
    const { rows } = await pool.query<{ source: string; methods: number }>(
      `SELECT r.source, count(i.method)::int AS methods FROM readings r
       LEFT JOIN reading_indices i USING (location_id, observed_at)
       WHERE r.location_id = 'lyon' AND r.observed_at = $1 GROUP BY r.source`,
      [hour],
    );
    expect(rows).toEqual([{ source: 'replay', methods: 3 }]);
  });

  it('when a stored hour differs from the source, then the run waits for the corrected values, not just the row', async () => {
    const hour = '2024-12-31T23:00:00Z';
    const tampered = '2024-12-31T22:00:00Z';
    const before = await pool.query<{ pm10: number }>(
      `SELECT pm10 FROM readings WHERE location_id = 'lyon' AND observed_at = $1`,
      [tampered],
    );
    await pool.query(`UPDATE readings SET pm10 = pm10 + 100 WHERE location_id = 'lyon' AND observed_at = $1`, [
      tampered,
    ]);
    const { handle } = await startOrJoin(
      client,
      config,
      ingestHourly,
      `revised-${ingestHourlyWorkId(['lyon'], hour)}`,
      {
        locationIds: ['lyon'],
        hour,
      },
    );

    const result = await handle.result();

    const after = await pool.query<{ pm10: number }>(
      `SELECT pm10 FROM readings WHERE location_id = 'lyon' AND observed_at = $1`,
      [tampered],
    );
    expect(result).toMatchObject({ published: 3, persisted: 3 });
    expect(after.rows[0]?.pm10).toBe(before.rows[0]?.pm10);
  });
});

describe('awaitReadingsPersisted', () => {
  it('when a published value is not yet the stored one, then it keeps waiting; once equal, it passes', async () => {
    const activities = createIngestionActivities({
      ...createPostgresRepositories(pool),
      source: { name: 'unused', client: { fetchHourly: jest.fn(), fetchCurrent: jest.fn(), planHourly: jest.fn() } },
      producer: {} as Producer,
    });
    const observedAt = '2024-12-31T20:00:00Z';
    const { rows } = await pool.query<{ pm10: number }>(
      `SELECT pm10 FROM readings WHERE location_id = 'lyon' AND observed_at = $1`,
      [observedAt],
    );
    const stored = rows[0]?.pm10 ?? Number.NaN;

    const revised = activities.awaitReadingsPersisted({
      expected: [{ locationId: 'lyon', observedAt, values: { pm10: stored + 1 } }],
    });
    const same = activities.awaitReadingsPersisted({
      expected: [{ locationId: 'lyon', observedAt, values: { pm10: stored } }],
    });

    await expect(revised).rejects.toMatchObject({ code: 'NOT_YET_PERSISTED' });
    await expect(same).resolves.toEqual({ persisted: 1 });
  });
});

describe('ingestHistory on long ranges', () => {
  it('when a run reaches its chunk budget, then it continues as new and the chain ends with every chunk done', async () => {
    const from = '2024-04-01T00:00:00Z';
    const to = '2024-06-30T23:00:00Z';
    const id = `continue-as-new-${ingestHistoryWorkId(['lyon'], from, to)}`;
    const { handle } = await startOrJoin(client, config, ingestHistory, id, {
      locationIds: ['lyon'],
      from,
      to,
      maxParallelChunks: 1,
      chunksPerRun: 1,
    });

    const result = await handle.result();

    const statuses: string[] = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${id}'` })) statuses.push(run.status.name);
    expect(statuses.sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
    expect(result).toMatchObject({ chunksTotal: 3, chunksDone: 3, rowsFetched: 2184 });
    expect(await count(from, to)).toBe(2184);
  });
});

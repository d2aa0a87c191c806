import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { addLocation, removeLocation } from '../../adapters/postgres/locations';
import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { startBackfill } from '../../adapters/temporal/pipeline-runs';
import { bundledExports } from '../../config/bundled-data';
import { repoRoot } from '../../config/runtime';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import { isAlive } from '../../stack/processes';
import { ingestHistoryProgressQuery, type ingestHistory } from '../../workflows/ingest-history';

import {
  apps,
  config,
  killAndBringBack,
  layout,
  postmasterPid,
  processesUnchanged,
  produceRaw,
  rawMessages,
  servicePid,
  sleep,
  snapshot,
  stackUp,
  storedReadings,
  supervised,
} from './drill-support';
import { stackCommand, testProcessEnv } from './test-env';

/**
 * Drills: each service the platform stands on dies under a running stack (SIGKILL: every connection is
 * cut, as in a crash or a failover) and comes back with `stack/cli.ts up`. No platform process may exit
 * over it, and the work that needs the service (an hourly ingest, a model reload) must complete after.
 * The drills under load (PostgreSQL mid-stream, MLflow mid-registration, an API process under load) are in
 * fault-drills.test.ts.
 */
const run = promisify(execFile);

jest.setTimeout(240_000);

async function ready(): Promise<{ status: number; postgres?: { ok: boolean } }> {
  const response = await fetch(`${config.api.url}/ready`);
  const body = (await response.json()) as { checks?: { postgres?: { ok: boolean } } };
  return { status: response.status, ...(body.checks?.postgres ? { postgres: body.checks.postgres } : {}) };
}

async function ingestHour(hour: string): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'cli', 'airq.ts'), 'ingest-hour', '--hour', hour, '--locations', 'lyon'],
    { cwd: repoRoot, env: testProcessEnv(), timeout: 150_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

describe('drills: a dependency killed and restarted under a running stack', () => {
  it('when the postmaster is SIGKILLed and the stack brought up again, then no process exits and the next hourly ingest completes', async () => {
    const before = snapshot();
    for (const name of apps) expect(before[name]?.pid).toBeDefined();
    // Every process holds idle pooled connections: the ones PostgreSQL will cut.
    expect((await ready()).status).toBe(200);

    const postmaster = postmasterPid();
    process.kill(postmaster, 'SIGKILL');
    const killedAt = Date.now();
    while (isAlive(postmaster)) await sleep(100);
    await sleep(3000);

    const whileDown = await ready();
    const up = stackUp();
    const recoveredMs = Date.now() - killedAt;

    expect(whileDown.status).toBe(503);
    expect(whileDown.postgres?.ok).toBe(false);
    expect(up.status).toBe(0);
    processesUnchanged(before);

    expect(await ingestHour('2024-12-31T18:00:00Z')).toMatchObject({ persisted: 3 });
    expect((await ready()).status).toBe(200);
    console.log(`[drill] PostgreSQL SIGKILLed and back with stack up in ${(recoveredMs / 1000).toFixed(1)} s`);
  });

  it('when PostgreSQL is SIGKILLed in the middle of a year backfill, then the run resumes and stores every hour exactly once', async () => {
    const pool = createPool(config, { max: 1 });
    const temporal = await connectTemporal(config);
    try {
      // Lyon's export grid cell, 7.7 km from the seeded Lyon: a place of its own with nothing stored yet.
      await addLocation(
        pool,
        { id: 'lyon-drill', name: 'Lyon drill', latitude: 45.7, longitude: 4.8 },
        { actor: 'drill' },
      );
      await pool.end();
      const before = snapshot();
      const run = await startBackfill(temporal, config, {
        locationIds: ['lyon-drill'],
        from: '2024-01-01T00:00:00Z',
        to: '2024-12-31T23:00:00Z',
        maxParallelChunks: 2,
      });
      const handle = temporal.workflow.getHandle<typeof ingestHistory>(run.workflowId);
      let progress = await handle.query(ingestHistoryProgressQuery);
      while (progress.chunksDone < 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        progress = await handle.query(ingestHistoryProgressQuery);
      }

      const { up, seconds } = await killAndBringBack(postmasterPid());
      const result = await handle.result();

      const check = createPool(config, { max: 1 });
      try {
        const count = async (sql: string) => Number((await check.query(sql, ['lyon-drill'])).rows[0].n);
        expect(up.status).toBe(0);
        expect(progress.chunksDone).toBeLessThan(12);
        expect(result.chunksDone).toBe(12);
        expect(await count('SELECT count(*) AS n FROM readings WHERE location_id = $1')).toBe(8784);
        expect(await count('SELECT count(DISTINCT observed_at) AS n FROM readings WHERE location_id = $1')).toBe(8784);
        expect(
          await count(
            `SELECT count(*) AS n FROM reading_indices WHERE location_id = $1 AND method = 'eaqi-open-meteo-pre-2026-08'`,
          ),
        ).toBeGreaterThan(8700);
        processesUnchanged(before);
        console.log(
          `[drill] PostgreSQL SIGKILLed after ${progress.chunksDone}/12 chunks of a year backfill: back in ${seconds.toFixed(1)} s, 8784 rows exactly`,
        );
      } finally {
        // Leave the stack's data as the other tests expect it (they count rows per location).
        await removeLocation(check, 'lyon-drill', { actor: 'drill', purge: true });
        await check.end();
      }
    } finally {
      await temporal.connection.close();
    }
  });

  it('when Kafka is SIGKILLed while the stream processor works through 5,000 readings, then each is stored exactly once', async () => {
    const pool = createPool(config, { max: 1 });
    const kafka = createKafka(config, createLogger('drill', 'warn'));
    const locationId = 'lyon-stream-drill';
    try {
      await addLocation(
        pool,
        { id: locationId, name: 'Stream drill', latitude: 45.6, longitude: 4.7 },
        { actor: 'drill' },
      );
      const before = snapshot();
      const readings = parseOpenMeteoCsv(readFileSync(bundledExports.lyon2024, 'utf8')).slice(0, 5000);
      await produceRaw(kafka, rawMessages(locationId, 'kafka-drill', readings));
      const atKill = (await storedReadings(pool, locationId)).rows;

      const { up, seconds } = await killAndBringBack(servicePid('kafka'));
      const deadline = Date.now() + 120_000;
      let stored = await storedReadings(pool, locationId);
      while (stored.rows < 5000 && Date.now() < deadline) {
        await sleep(500);
        stored = await storedReadings(pool, locationId);
      }

      expect(up.status).toBe(0);
      expect(stored).toEqual({ rows: 5000, hours: 5000 });
      processesUnchanged(before);
      console.log(
        `[drill] Kafka SIGKILLed with ${atKill}/5000 readings stored: back in ${seconds.toFixed(1)} s, 5000 exactly`,
      );
    } finally {
      await removeLocation(pool, locationId, { actor: 'drill', purge: true }).catch(() => undefined);
      await pool.end();
    }
  });

  it.each([
    ['Temporal', 'temporal', '2024-12-31T15:00:00Z'],
    ['Kafka', 'kafka', '2024-12-31T12:00:00Z'],
  ])(
    'when %s is SIGKILLed and brought back, then no process exits and the next hourly ingest completes',
    async (what, service, hour) => {
      const before = snapshot();

      const { up, seconds } = await killAndBringBack(servicePid(service));

      expect(up.status).toBe(0);
      processesUnchanged(before);
      expect(await ingestHour(hour)).toMatchObject({ persisted: 3 });
      console.log(`[drill] ${what} SIGKILLed and back with stack up in ${seconds.toFixed(1)} s`);
    },
  );

  it('when MLflow is SIGKILLed and brought back, then no process exits and the API reloads its champions', async () => {
    const before = snapshot();

    const { up, seconds } = await killAndBringBack(servicePid('mlflow'));
    const reload = await fetch(`${config.api.url}/reload`);
    const body = (await reload.json()) as { reloaded: { name: string; result: string }[] };

    expect(up.status).toBe(0);
    processesUnchanged(before);
    expect(reload.status).toBe(200);
    expect(body.reloaded.find((r) => r.name === 'aqi-eaqi-instant')?.result).toMatch(/^(unchanged|loaded)$/);
    console.log(`[drill] MLflow SIGKILLed and back with stack up in ${seconds.toFixed(1)} s`);
  });

  it('when the API process is SIGKILLed, then its supervisor restarts it and stack:status counts the restart', async () => {
    const before = supervised('api');
    process.kill(before?.pid ?? -1, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    let after = supervised('api');
    while (Date.now() < deadline && (after?.pid === undefined || after.pid === before?.pid)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = supervised('api');
    }
    let health = 0;
    while (Date.now() < deadline && health !== 200) {
      health = await fetch(`${config.api.url}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (health !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { command, args, env } = stackCommand('status', '--json');
    const status = JSON.parse(spawnSync(command, args, { cwd: repoRoot, env, encoding: 'utf8' }).stdout) as Record<
      string,
      { restarts?: string; lastExit?: string; up: boolean }
    >;

    expect(after?.restarts).toBe((before?.restarts ?? 0) + 1);
    expect(after?.lastExit?.signal).toBe('SIGKILL');
    expect(health).toBe(200);
    expect(status.api).toMatchObject({ up: true, restarts: String(after?.restarts) });
    expect(status.api?.lastExit).toContain('SIGKILL');
    expect(readFileSync(layout.logFile('api'), 'utf8')).toMatch(
      /\[supervisor\] api: exited \(signal SIGKILL\) after \d+ s; restart #\d+ in 1000 ms/,
    );
  });
});

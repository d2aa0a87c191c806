import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { startBackfill } from '../../adapters/temporal/pipeline-runs';
import { bundledExports } from '../../config/bundled-data';
import { repoRoot } from '../../config/runtime';
import { describeError } from '../../core/errors';
import type { ingestHistory } from '../../workflows/ingest-history';

import { testConfig, testProcessEnv } from './test-env';

const run = promisify(execFile);
const config = testConfig();
const pool = createPool(config, { max: 2 });
const key = 'aqi-local-demo-key';

jest.setTimeout(180_000);

afterAll(async () => {
  await pool.end();
});

async function airq(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'cli', 'airq.ts'), ...args],
      { cwd: repoRoot, env: testProcessEnv() },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface ApiAnswer {
  error?: { code: string; message: string; fields?: { path: string }[] };
  locations?: { id: string }[];
}

async function api(method: string, route: string, body?: unknown, withKey = true) {
  const response = await fetch(`${config.api.url}${route}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(withKey ? { authorization: `Bearer ${key}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as ApiAnswer };
}

const count = async (sql: string, params: unknown[]) => Number((await pool.query(sql, params)).rows[0].n);
const readingsOf = (locationId: string) =>
  count('SELECT count(*) AS n FROM readings WHERE location_id = $1', [locationId]);

describe('locations are data: the CLI and the API', () => {
  it('when Berlin is added by the CLI, then it is listed with its coordinates, and a second add is refused', async () => {
    const added = await airq('locations', 'add', 'berlin', '--name', 'Berlin', '--lat', '52.52', '--lon', '13.405');
    const again = await airq('locations', 'add', 'berlin', '--name', 'Berlin', '--lat', '52.52', '--lon', '13.405');
    const listed = await airq('locations', 'list');

    expect(added.code).toBe(0);
    expect(added.stdout).toContain('added berlin (Berlin) at 52.52, 13.405');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('location "berlin" already exists');
    expect(listed.stdout).toMatch(/berlin\s+Berlin\s+52\.5200\s+13\.4050\s+0 readings/);
    expect(listed.stdout).toMatch(/lyon\s+Lyon/);
  });

  it('when a place is added within 1 km of another, then 409 names it, unless forced; bad fields are named', async () => {
    const near = await api('POST', '/locations', {
      id: 'berlin-mitte',
      name: 'Mitte',
      latitude: 52.5205,
      longitude: 13.4049,
    });
    const forced = await api('POST', '/locations', {
      id: 'berlin-mitte',
      name: 'Mitte',
      latitude: 52.5205,
      longitude: 13.4049,
      force: true,
    });
    const bad = await api('POST', '/locations', { id: 'New York', name: 'NY', latitude: 95, longitude: -74 });
    const anonymous = await api(
      'POST',
      '/locations',
      { id: 'oslo', name: 'Oslo', latitude: 59.9, longitude: 10.7 },
      false,
    );

    expect(near.status).toBe(409);
    expect(near.body.error?.code).toBe('LOCATION_TOO_CLOSE');
    expect(near.body.error?.message).toContain('"berlin" (Berlin)');
    expect(forced.status).toBe(201);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields?.map((f) => f.path).sort()).toEqual(['id', 'latitude']);
    expect(anonymous.status).toBe(401);
    const listed = await api('GET', '/locations');
    expect(listed.body.locations?.map((l) => l.id)).toEqual(
      expect.arrayContaining(['berlin', 'berlin-mitte', 'lyon', 'marseille', 'paris']),
    );
    expect((await api('DELETE', '/locations/berlin-mitte')).status).toBe(200);
    expect(await count('SELECT count(*) AS n FROM locations WHERE id = $1', ['berlin-mitte'])).toBe(0);
  });

  it('when Berlin is backfilled from the replay source, then the run fails at once saying what it holds, and nothing is written', async () => {
    const temporal = await connectTemporal(config);
    try {
      const runs = await count('SELECT count(*) AS n FROM raw_payloads', []);
      const started = await startBackfill(temporal, config, {
        locationIds: ['berlin'],
        from: '2024-03-01T00:00:00Z',
        to: '2024-03-31T23:00:00Z',
      });
      const failure = await temporal.workflow
        .getHandle<typeof ingestHistory>(started.workflowId)
        .result()
        .then(() => 'succeeded', describeError);

      expect(failure).toContain('no export holds a place near berlin (52.52, 13.405)');
      expect(failure).toContain('Lyon (45.7, 4.800001) 2024-01-01T00:00..2024-12-31T23:00');
      expect(failure).toContain('AQI_SOURCE=open-meteo');
      expect(await readingsOf('berlin')).toBe(0);
      expect(await count('SELECT count(*) AS n FROM raw_payloads', [])).toBe(runs);
    } finally {
      await temporal.connection.close();
    }
  });

  it('when Berlin is backfilled with --dry-run from the live source, then the plan asks Open-Meteo for its coordinates', async () => {
    // A pipeline worker of the live source, on a task queue of its own: the dry run makes no call.
    const taskQueue = 'aqi-live-source-test';
    const worker: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'workers', 'pipeline-worker.ts')],
      {
        cwd: repoRoot,
        env: { ...testProcessEnv(), AQI_SOURCE: 'open-meteo', TEMPORAL_TASK_QUEUE: taskQueue },
        stdio: 'ignore',
      },
    );
    const temporal = await connectTemporal(config);
    try {
      const live = { ...config, temporal: { ...config.temporal, taskQueue } };
      const started = await startBackfill(temporal, live, {
        locationIds: ['berlin'],
        from: '2024-04-01T00:00:00Z',
        to: '2024-04-30T23:00:00Z',
        dryRun: true,
      });
      const result = await temporal.workflow.getHandle<typeof ingestHistory>(started.workflowId).result();

      expect(result.dryRun).toBe(true);
      expect(result.source?.source).toBe('open-meteo');
      expect(result.source?.locations).toEqual([{ id: 'berlin', name: 'Berlin', latitude: 52.52, longitude: 13.405 }]);
      const url = new URL(result.source?.calls[0]?.url ?? '');
      expect(url.origin).toBe('https://air-quality-api.open-meteo.com');
      expect(url.searchParams.get('latitude')).toBe('52.52');
      expect(url.searchParams.get('longitude')).toBe('13.405');
      expect(url.searchParams.get('start_date')).toBe('2024-04-01');
      expect(await readingsOf('berlin')).toBe(0);
    } finally {
      worker.kill('SIGTERM');
      await temporal.connection.close();
    }
  });
});

describe('airq import', () => {
  const bad = path.join(mkdtempSync(path.join(tmpdir(), 'aqi-import-')), 'lyon-broken.csv');

  it('when a malformed export is imported, then the line and reason are named and nothing is written', async () => {
    const lines = readFileSync(bundledExports.lyon2024, 'utf8').split('\n');
    lines[2000] = (lines[2000] ?? '').replace(/,[^,]*$/, ',twelve');
    writeFileSync(bad, lines.join('\n'));

    const result = await airq('import', bad, '--location', 'lyon-broken', '--create');

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 2001: sulphur_dioxide.* "twelve" is not a number/);
    expect(await count('SELECT count(*) AS n FROM locations WHERE id = $1', ['lyon-broken'])).toBe(0);
    expect(await readingsOf('lyon-broken')).toBe(0);
  });

  it('when a real export is imported for a new place, then its rows appear once; a second import writes 0', async () => {
    const first = await airq('import', bundledExports.lyon2024, '--location', 'lyon-cell', '--create', '--json');
    const second = await airq('import', bundledExports.lyon2024, '--location', 'lyon-cell', '--json');

    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual([
      expect.objectContaining({ locationId: 'lyon-cell', created: true, rows: 8784, written: 8784, unchanged: 0 }),
    ]);
    expect(JSON.parse(second.stdout)).toEqual([
      expect.objectContaining({ locationId: 'lyon-cell', created: false, rows: 8784, written: 0, unchanged: 8784 }),
    ]);
    expect(await readingsOf('lyon-cell')).toBe(8784);
    const { rows } = await pool.query<{ latitude: number; longitude: number }>(
      'SELECT latitude, longitude FROM locations WHERE id = $1',
      ['lyon-cell'],
    );
    expect(rows[0]).toEqual({ latitude: 45.7, longitude: 4.800001 });
    // Indices with their method, as a backfill stores them.
    expect(
      await count(
        `SELECT count(*) AS n FROM reading_indices WHERE location_id = $1 AND method = 'eaqi-open-meteo-pre-2026-08'`,
        ['lyon-cell'],
      ),
    ).toBeGreaterThan(8700);
    expect(await count(`SELECT count(*) AS n FROM raw_payloads WHERE source = 'open-meteo-export'`, [])).toBe(1);
  });

  it('when a place with readings is removed, then it is refused with the count; with --purge it goes and is audited', async () => {
    const refused = await airq('locations', 'remove', 'lyon-cell');
    const purged = await airq('locations', 'remove', 'lyon-cell', '--purge', '--actor', 'integration-test');

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('location "lyon-cell" has 8784 stored readings');
    expect(purged.stdout).toContain('removed lyon-cell and its 8784 readings');
    expect(await readingsOf('lyon-cell')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM reading_indices WHERE location_id = $1', ['lyon-cell'])).toBe(0);
    const { rows } = await pool.query(
      `SELECT change, actor, details->>'readingsDeleted' AS deleted FROM location_changes
        WHERE location_id = $1 ORDER BY id`,
      ['lyon-cell'],
    );
    expect(rows).toEqual([
      { change: 'added', actor: expect.stringMatching(/^cli:/), deleted: null },
      { change: 'purged', actor: 'integration-test', deleted: '8784' },
    ]);
  });
});

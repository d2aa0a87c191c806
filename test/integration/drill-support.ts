import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';

import { Partitioners, type Kafka } from 'kafkajs';
import type pg from 'pg';

import { repoRoot } from '../../config/runtime';
import type { RawReadingMessage } from '../../core/air-quality/messages';
import type { Reading } from '../../core/air-quality/reading';
import { topics } from '../../core/topics';
import { stackLayout } from '../../stack/layout';
import { isAlive } from '../../stack/processes';
import { postgresLocation } from '../../stack/services/postgres-location';
import { readSupervisedState, supervisorStateFile, type SupervisedState } from '../../stack/supervisor/state';

import { stackCommand, testConfig } from './test-env';

/**
 * What the fault drills (dependency-restarts.test.ts, fault-drills.test.ts) share: killing a service of the
 * test stack the way a crash does (SIGKILL to its process group) and bringing it back with `stack/cli.ts up`,
 * and checking that none of the platform's own processes exited meanwhile.
 */
export const config = testConfig();
export const layout = stackLayout(config);

/** The platform processes the stack supervises: a drill on a dependency expects each to ride it out. */
export const apps = ['worker', 'trainer', 'stream', 'detector', 'api'] as const;
type App = (typeof apps)[number];
export type AppSnapshot = Record<App, SupervisedState | undefined>;

export const supervised = (name: string) => readSupervisedState(supervisorStateFile(layout.runDir, name));

/** Each supervised process's pid and restart count, to compare after a drill. */
export const snapshot = (): AppSnapshot =>
  Object.fromEntries(apps.map((name) => [name, supervised(name)])) as AppSnapshot;

/** No supervised process exited since `before`: same pid, same restart count, still alive. */
export function processesUnchanged(before: AppSnapshot): void {
  for (const name of apps) {
    const after = supervised(name);
    expect({ name, pid: after?.pid, restarts: after?.restarts }).toEqual({
      name,
      pid: before[name]?.pid,
      restarts: before[name]?.restarts,
    });
    expect(isAlive(after?.pid ?? -1)).toBe(true);
  }
}

/** The pid the stack recorded for one of its services (kafka, temporal, mlflow, …). */
export const servicePid = (name: string) =>
  Number(readFileSync(path.join(layout.runDir, `${name}.pid`), 'utf8').trim());

/** PostgreSQL's postmaster, from its data directory. */
export function postmasterPid(): number {
  const { dataDir } = postgresLocation(layout, userInfo().uid === 0);
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** SIGKILLs a service's whole process group (a single process if it leads none) and waits until it is gone. */
export async function killService(pid: number): Promise<void> {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    process.kill(pid, 'SIGKILL');
  }
  while (isAlive(pid)) await sleep(100);
}

/** `stack/cli.ts up`, as an operator would run it after a crash: starts what is not running, waits until ready. */
export function stackUp(): ReturnType<typeof spawnSync> {
  const { command, args, env } = stackCommand('up');
  return spawnSync(command, args, { cwd: repoRoot, env, encoding: 'utf8', timeout: 180_000 });
}

/**
 * SIGKILLs a service the stack started, leaves it down 3 s (after `whileDown`, if given, has run), brings it
 * back with `stack up`. `seconds` runs from the kill to `up` returning with the service ready.
 */
export async function killAndBringBack(
  pid: number,
  whileDown?: () => Promise<void>,
): Promise<{ up: ReturnType<typeof spawnSync>; seconds: number }> {
  const killedAt = Date.now();
  await killService(pid);
  await whileDown?.();
  await sleep(3000);
  const up = stackUp();
  return { up, seconds: (Date.now() - killedAt) / 1000 };
}

/** `aqi.raw` messages for readings of one location, as the ingestion's producer writes them. */
export function rawMessages(locationId: string, runId: string, readings: readonly Reading[]) {
  return readings.map((reading) => {
    const message: RawReadingMessage = {
      schema: 'aqi.raw/v1',
      locationId,
      source: 'drill',
      runId,
      fetchedAt: '2025-01-01T00:00:00.000Z',
      reading,
    };
    return { key: locationId, value: JSON.stringify(message) };
  });
}

/**
 * Produces messages to `aqi.raw` in chunks of `chunk` (acks from all replicas, idempotent producer), with
 * `pauseMs` between chunks so that a drill can strike while they are still arriving.
 */
export async function produceRaw(
  kafka: Kafka,
  messages: readonly { key: string; value: string }[],
  { chunk = 1000, pauseMs = 0 } = {},
): Promise<void> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += chunk) {
      if (i > 0 && pauseMs > 0) await sleep(pauseMs);
      await producer.send({ topic: topics.aqiRaw, acks: -1, messages: messages.slice(i, i + chunk) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Rows of `readings` stored for a location, and how many distinct hours they cover. */
export async function storedReadings(pool: pg.Pool, locationId: string): Promise<{ rows: number; hours: number }> {
  const { rows } = await pool.query<{ rows: string; hours: string }>(
    'SELECT count(*) AS rows, count(DISTINCT observed_at) AS hours FROM readings WHERE location_id = $1',
    [locationId],
  );
  return { rows: Number(rows[0]?.rows), hours: Number(rows[0]?.hours) };
}

/**
 * Holds `table` in EXCLUSIVE mode in a transaction of its own: others still read it, but a write to it waits
 * until `release` is called (or until PostgreSQL dies and takes the transaction along). A drill uses it to
 * stop a writer at a known step of its work and strike right there.
 */
export async function holdWrites(pool: pg.Pool, table: string): Promise<() => Promise<void>> {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
  let held = true;
  return async () => {
    if (!held) return;
    held = false;
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (err) {
      client.release(err as Error); // the server went away: the connection is discarded
    }
  };
}

/** The `application_name` of each session waiting for a lock on `table` (in the pool's database). */
export async function waitingOn(pool: pg.Pool, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ application_name: string }>(
    `SELECT a.application_name FROM pg_locks l
       JOIN pg_class c ON c.oid = l.relation
       JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE NOT l.granted AND c.relname = $1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [table],
  );
  return rows.map((r) => r.application_name);
}

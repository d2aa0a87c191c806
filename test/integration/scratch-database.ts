import type pg from 'pg';

import { migrate } from '../../adapters/postgres/migrations';
import { createPool } from '../../adapters/postgres/pool';

import { testConfig } from './test-env';

/**
 * Runs `body` against a database of its own on the test stack's PostgreSQL, dropped afterwards, so tests
 * that write can assert exact counts. `migrated` applies the project's migrations first.
 */
export async function withScratchDatabase(
  name: string,
  body: (pool: pg.Pool) => Promise<void>,
  options: { migrated?: boolean } = {},
): Promise<void> {
  const config = testConfig();
  const admin = createPool(config, { max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const pool = createPool({ ...config, postgres: { ...config.postgres, database: name } }, { max: 4 });
  try {
    if (options.migrated) await migrate(pool);
    await body(pool);
  } finally {
    // Errors raised on this pool after the body (a connection closing late) say nothing about the test.
    pool.on('error', () => undefined);
    await pool.end();
    // No FORCE here: killing a connection something still holds would raise in that holder. A database
    // left behind is harmless: the test stack's state is wiped at every run.
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
  }
}

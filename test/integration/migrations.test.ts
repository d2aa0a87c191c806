import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type pg from 'pg';

import { migrate } from '../../adapters/postgres/migrations';
import { createPool } from '../../adapters/postgres/pool';
import { AppError } from '../../core/errors';

import { testConfig } from './test-env';

const config = testConfig();
const database = 'aqi_migrations_probe';

async function withScratchDatabase(body: (pool: pg.Pool) => Promise<void>) {
  const admin = createPool(config, { max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  const pool = createPool({ ...config, postgres: { ...config.postgres, database } }, { max: 2 });
  try {
    await body(pool);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  }
}

describe('migration runner against PostgreSQL', () => {
  it('when the project migrations run twice, then the second run applies nothing', async () => {
    await withScratchDatabase(async (pool) => {
      const first = await migrate(pool);
      const second = await migrate(pool);

      expect(first.length).toBeGreaterThan(0);
      expect(second).toEqual([]);
      const { rows } = await pool.query('SELECT to_regclass($1) AS table', ['platform_checks']);
      expect(rows[0]).toEqual({ table: 'platform_checks' });
    });
  });

  it('when an applied migration was edited, then the runner refuses with MIGRATION_CHANGED', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aqi-migrations-'));
    writeFileSync(path.join(dir, '0001_probe.sql'), 'CREATE TABLE probe (id int);');
    await withScratchDatabase(async (pool) => {
      await migrate(pool, dir);
      writeFileSync(path.join(dir, '0001_probe.sql'), 'CREATE TABLE probe (id bigint);');

      const error = await migrate(pool, dir).catch((err: unknown) => err);

      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'MIGRATION_CHANGED' });
    });
  });

  it('when a migration fails, then nothing of it is applied and the error names it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aqi-migrations-'));
    writeFileSync(path.join(dir, '0001_half.sql'), 'CREATE TABLE half (id int); SELECT * FROM no_such_table;');
    await withScratchDatabase(async (pool) => {
      const error = await migrate(pool, dir).catch((err: unknown) => err);
      const { rows } = await pool.query('SELECT to_regclass($1) AS table', ['half']);

      expect(error).toMatchObject({ code: 'MIGRATION_FAILED', message: expect.stringContaining('0001_half') });
      expect(rows[0]).toEqual({ table: null });
    });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type pg from 'pg';

import { migrate } from '../../adapters/postgres/migrations';
import { AppError } from '../../core/errors';

import { withScratchDatabase } from './scratch-database';

const database = 'aqi_migrations_probe';
const withScratch = (body: (pool: pg.Pool) => Promise<void>) => withScratchDatabase(database, body);

describe('migration runner against PostgreSQL', () => {
  it('when the project migrations run twice, then the second run applies nothing', async () => {
    await withScratch(async (pool) => {
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
    await withScratch(async (pool) => {
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
    await withScratch(async (pool) => {
      const error = await migrate(pool, dir).catch((err: unknown) => err);
      const { rows } = await pool.query('SELECT to_regclass($1) AS table', ['half']);

      expect(error).toMatchObject({ code: 'MIGRATION_FAILED', message: expect.stringContaining('0001_half') });
      expect(rows[0]).toEqual({ table: null });
    });
  });
});

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

import {
  formatObservedAt,
  measuredVariables,
  type MeasuredVariable,
  type Reading,
} from '../../core/air-quality/reading';
import { AppError } from '../../core/errors';

/** A reading tied to the location it was requested for, with the indices the platform computed for it. */
export interface ReadingToStore {
  locationId: string;
  reading: Reading;
  indices: { method: string; value: number; dominant: string }[];
}

export interface StoreResult {
  /** Rows that were new or whose values changed (an upstream correction). */
  written: number;
  /** Rows already stored with the same values: a replay or a retry. */
  unchanged: number;
  indicesWritten: number;
}

const valueColumns = [...measuredVariables, 'reported_european_aqi', 'reported_us_aqi'] as const;
const readingColumns = ['location_id', 'observed_at', ...valueColumns, 'source', 'run_id'] as const;
const indexColumns = ['location_id', 'observed_at', 'method', 'value', 'dominant'] as const;

/**
 * Bulk upsert: COPY into a temporary staging table, then one INSERT … ON CONFLICT per table, all in one
 * transaction. Rows identical to what is stored are left alone, so replaying a range writes nothing, and
 * duplicates inside one batch keep their last occurrence.
 */
export async function storeReadings(
  pool: pg.Pool,
  rows: readonly ReadingToStore[],
  meta: { source: string; runId: string },
): Promise<StoreResult> {
  if (rows.length === 0) return { written: 0, unchanged: 0, indicesWritten: 0 };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Staging tables live as long as the pooled connection and are emptied at each commit: creating them
    // per call (catalog writes, a sequence) cost more than the COPY itself on the stream's small chunks.
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS readings_staging (LIKE readings INCLUDING DEFAULTS, seq integer NOT NULL)
       ON COMMIT DELETE ROWS`,
    );
    await client.query('CREATE TEMP TABLE IF NOT EXISTS indices_staging (LIKE reading_indices) ON COMMIT DELETE ROWS');
    await copy(
      client,
      'readings_staging',
      [...readingColumns, 'seq'],
      rows.map((r, seq) => [...readingRow(r, meta), seq]),
    );
    await copy(
      client,
      'indices_staging',
      indexColumns,
      rows.flatMap((r) => r.indices.map((i) => [r.locationId, r.reading.observedAt, i.method, i.value, i.dominant])),
    );

    const set = valueColumns.map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    const changed = `(${valueColumns.map((c) => `readings.${c}`).join(', ')}) IS DISTINCT FROM (${valueColumns
      .map((c) => `EXCLUDED.${c}`)
      .join(', ')})`;
    const written = await client.query(
      `INSERT INTO readings (${readingColumns.join(', ')})
       SELECT DISTINCT ON (location_id, observed_at) ${readingColumns.join(', ')} FROM readings_staging
       ORDER BY location_id, observed_at, seq DESC
       ON CONFLICT (location_id, observed_at) DO UPDATE
         SET ${set}, source = EXCLUDED.source, run_id = EXCLUDED.run_id, ingested_at = now()
         WHERE ${changed}`,
    );
    const indices = await client.query(
      `INSERT INTO reading_indices (${indexColumns.join(', ')})
       SELECT DISTINCT ON (location_id, observed_at, method) ${indexColumns.join(', ')} FROM indices_staging
       ORDER BY location_id, observed_at, method
       ON CONFLICT (location_id, observed_at, method) DO UPDATE
         SET value = EXCLUDED.value, dominant = EXCLUDED.dominant
         WHERE (reading_indices.value, reading_indices.dominant) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.dominant)`,
    );
    await client.query('COMMIT');
    const total = new Set(rows.map((r) => `${r.locationId}|${Date.parse(r.reading.observedAt)}`)).size;
    return {
      written: written.rowCount ?? 0,
      unchanged: total - (written.rowCount ?? 0),
      indicesWritten: indices.rowCount ?? 0,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((err as { code?: string }).code === '23503') {
      throw new AppError('UNKNOWN_LOCATION', `readings name a location that is not in the locations table`, {
        httpStatus: 400,
        cause: err,
      });
    }
    throw err;
  } finally {
    client.release();
  }
}

function readingRow(row: ReadingToStore, meta: { source: string; runId: string }): unknown[] {
  const { reading } = row;
  return [
    row.locationId,
    reading.observedAt,
    ...measuredVariables.map((v) => reading.values[v] ?? null),
    reading.reported.european_aqi ?? null,
    reading.reported.us_aqi ?? null,
    meta.source,
    meta.runId,
  ];
}

async function copy(client: pg.PoolClient, table: string, columns: readonly string[], rows: unknown[][]) {
  if (rows.length === 0) return;
  const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`;
  await pipeline(Readable.from(csvChunks(rows)), client.query(copyFrom(sql)));
}

/** CSV for COPY, in chunks of a few thousand rows: an unquoted empty field is NULL, strings are quoted. */
function* csvChunks(rows: unknown[][], rowsPerChunk = 2000): Generator<string> {
  for (let i = 0; i < rows.length; i += rowsPerChunk) {
    yield rows
      .slice(i, i + rowsPerChunk)
      .map((row) => `${row.map(csvField).join(',')}\n`)
      .join('');
  }
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AppError('INVALID_READING', `non-finite value ${value} cannot be stored`);
    return String(value);
  }
  return `"${String(value).replace(/"/g, '""')}"`;
}

/** The stored values of these (location, hour) keys; keys with no stored row are left out. */
export async function findStoredHours(
  pool: pg.Pool,
  keys: readonly { locationId: string; observedAt: string }[],
): Promise<{ locationId: string; observedAt: string; values: Partial<Record<MeasuredVariable, number | null>> }[]> {
  if (keys.length === 0) return [];
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT r.* FROM readings r
     JOIN unnest($1::text[], $2::timestamptz[]) AS k(location_id, observed_at) USING (location_id, observed_at)`,
    [keys.map((k) => k.locationId), keys.map((k) => k.observedAt)],
  );
  return rows.map((row) => ({
    locationId: row.location_id as string,
    observedAt: formatObservedAt(row.observed_at as Date),
    values: Object.fromEntries(measuredVariables.map((v) => [v, (row[v] as number | null) ?? null])),
  }));
}

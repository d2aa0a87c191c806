import type pg from 'pg';

export interface RawPayload {
  /** Derived from the request itself, so fetching the same thing again updates one row, never adds one. */
  requestId: string;
  url: string;
  body: unknown;
}

/** Keeps each payload as fetched (jsonb), one row per (source, request). */
export async function storeRawPayloads(
  pool: pg.Pool,
  payloads: readonly RawPayload[],
  meta: { source: string; runId: string; fetchedAt: string },
): Promise<void> {
  for (const p of payloads) {
    await pool.query(
      `INSERT INTO raw_payloads (source, request_id, run_id, fetched_at, payload)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source, request_id) DO UPDATE
         SET run_id = EXCLUDED.run_id, fetched_at = EXCLUDED.fetched_at, payload = EXCLUDED.payload`,
      [meta.source, p.requestId, meta.runId, meta.fetchedAt, JSON.stringify({ url: p.url, body: p.body })],
    );
  }
}

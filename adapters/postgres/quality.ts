import type pg from 'pg';

import { formatObservedAt, measuredVariables } from '../../core/air-quality/reading';
import type { QualityReport, QualityRow } from '../../core/quality/assess';

/** The stored readings of a window [from, to) with the platform's pre-2026 EAQI, as the checks read them. */
export async function loadQualityRows(
  pool: pg.Pool,
  locationIds: readonly string[],
  from: string,
  to: string,
): Promise<QualityRow[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT r.*, i.value AS computed_european_aqi
     FROM readings r
     LEFT JOIN reading_indices i
       ON i.location_id = r.location_id AND i.observed_at = r.observed_at AND i.method = 'eaqi-open-meteo-pre-2026-08'
     WHERE r.location_id = ANY($1::text[]) AND r.observed_at >= $2 AND r.observed_at < $3
     ORDER BY r.location_id, r.observed_at`,
    [locationIds, from, to],
  );
  return rows.map((row) => ({
    locationId: row.location_id as string,
    observedAt: formatObservedAt(row.observed_at as Date),
    values: Object.fromEntries(measuredVariables.map((v) => [v, (row[v] as number | null) ?? null])),
    reportedEuropeanAqi: (row.reported_european_aqi as number | null) ?? null,
    computedEuropeanAqi: (row.computed_european_aqi as number | null) ?? null,
  }));
}

/** One report per run: a retried activity rewrites its own row and gets the same id back. */
export async function saveQualityReport(
  pool: pg.Pool,
  input: { runId: string; from: string; to: string; locationIds: readonly string[]; report: QualityReport },
): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO quality_reports (run_id, window_start, window_end, location_ids, verdict, checks)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (run_id) DO UPDATE SET verdict = EXCLUDED.verdict, checks = EXCLUDED.checks, created_at = now()
     RETURNING id`,
    [input.runId, input.from, input.to, input.locationIds, input.report.verdict, JSON.stringify(input.report)],
  );
  return Number(rows[0]?.id);
}

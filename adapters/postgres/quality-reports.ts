import type pg from 'pg';

import type { QualityStatus } from '../../core/quality/report';

/** A stored data-quality verdict as the dashboard lists it: the window, the verdict, each check's status. */
export interface StoredQualityVerdict {
  id: number;
  workflowId: string;
  from: string;
  to: string;
  locationIds: string[];
  verdict: QualityStatus;
  checks: { name: string; status: QualityStatus; detail: string }[];
  createdAt: string;
}

/** The latest verdicts, newest window first, optionally only those covering one location. */
export async function listQualityVerdicts(
  pool: pg.Pool,
  options: { locationId?: string; limit: number },
): Promise<StoredQualityVerdict[]> {
  const { rows } = await pool.query<{
    id: string;
    run_id: string;
    window_start: Date;
    window_end: Date;
    location_ids: string[];
    verdict: QualityStatus;
    checks: { checks?: { name: string; status: QualityStatus; detail: string }[] };
    created_at: Date;
  }>(
    `SELECT id, run_id, window_start, window_end, location_ids, verdict, checks, created_at
     FROM quality_reports WHERE ($1::text IS NULL OR $1 = ANY(location_ids))
     ORDER BY window_end DESC, id DESC LIMIT $2`,
    [options.locationId ?? null, options.limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    workflowId: r.run_id,
    from: r.window_start.toISOString(),
    to: r.window_end.toISOString(),
    locationIds: r.location_ids,
    verdict: r.verdict,
    checks: (r.checks.checks ?? []).map(({ name, status, detail }) => ({ name, status, detail })),
    createdAt: r.created_at.toISOString(),
  }));
}

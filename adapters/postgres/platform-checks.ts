import type pg from 'pg';

import type { DoctorReport } from '../../core/doctor';
import { AppError } from '../../core/errors';

/** The server's version and the number of applied migrations: what `airq doctor` reports for PostgreSQL. */
export async function describeDatabase(pool: pg.Pool): Promise<{ version: string; migrations: number }> {
  const { rows } = await pool.query<{ version: string; migrations: string }>(
    `SELECT split_part(version(), ' ', 2) AS version, (SELECT count(*) FROM schema_migrations) AS migrations`,
  );
  const row = rows[0];
  if (!row) throw new AppError('DOCTOR_POSTGRES', 'version query returned no row');
  return { version: row.version, migrations: Number(row.migrations) };
}

/** Upsert on the workflow id: a retried activity or a replayed workflow records the run once. */
export async function recordPlatformCheck(
  pool: pg.Pool,
  input: { workflowId: string; report: DoctorReport },
): Promise<void> {
  await pool.query(
    `INSERT INTO platform_checks (workflow_id, checked_at, healthy, report) VALUES ($1, $2, $3, $4)
     ON CONFLICT (workflow_id) DO UPDATE SET checked_at = EXCLUDED.checked_at, healthy = EXCLUDED.healthy,
       report = EXCLUDED.report`,
    [input.workflowId, input.report.checkedAt, input.report.healthy, JSON.stringify(input.report)],
  );
}

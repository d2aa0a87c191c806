import type pg from 'pg';

import { AppError } from '../../core/errors';
import type { LiveAccuracy } from '../../core/monitoring/accuracy/live-accuracy';
import type { DriftVerdict } from '../../core/monitoring/retraining/evidence';

/** A monitorChampion run's outcome as stored (migration 0013): a drift report, or why there is none. */
export interface MonitoringReportRecord {
  workflowId: string;
  modelName: string;
  modelVersion: string;
  status: 'reported' | 'no_reference';
  reason?: string;
  referenceSha256?: string;
  referenceRows?: number;
  currentFrom: string;
  currentTo: string;
  currentRows?: number;
  datasetDrift?: boolean;
  driftedColumns?: number;
  columns?: number;
  driftedShare?: number;
  predictionDrift?: boolean;
  targetDrift?: boolean;
  summary?: string;
  mlflowRunId?: string;
  runUrl?: string;
  htmlUrl?: string;
  /** The version's live accuracy over the window, per horizon (migration 0016). */
  accuracy?: LiveAccuracy[];
  /** The whole report (report.json); left out of lists. */
  report?: unknown;
}

export interface StoredMonitoringReport extends MonitoringReportRecord {
  id: number;
  createdAt: string;
}

/** The newest stored hour of these locations (any location when the list is empty). */
export async function latestStoredHourOf(pool: pg.Pool, locationIds: readonly string[]): Promise<string | undefined> {
  const { rows } = await pool.query<{ latest: Date | null }>(
    'SELECT max(observed_at) AS latest FROM readings WHERE cardinality($1::text[]) = 0 OR location_id = ANY($1)',
    [locationIds],
  );
  const latest = rows[0]?.latest;
  return latest ? latest.toISOString().replace('.000Z', 'Z') : undefined;
}

/** Stores a run's report once per workflow id (a retry rewrites the same row) and returns its id. */
export async function saveMonitoringReport(pool: pg.Pool, record: MonitoringReportRecord): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO monitoring_reports
       (workflow_id, model_name, model_version, status, reason, reference_sha256, reference_rows, current_from,
        current_to, current_rows, dataset_drift, drifted_columns, columns, drifted_share, prediction_drift,
        target_drift, summary, mlflow_run_id, run_url, html_url, report, accuracy)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
     ON CONFLICT (workflow_id) DO UPDATE SET
       model_name = EXCLUDED.model_name, model_version = EXCLUDED.model_version, status = EXCLUDED.status,
       reason = EXCLUDED.reason, reference_sha256 = EXCLUDED.reference_sha256,
       reference_rows = EXCLUDED.reference_rows, current_from = EXCLUDED.current_from,
       current_to = EXCLUDED.current_to, current_rows = EXCLUDED.current_rows,
       dataset_drift = EXCLUDED.dataset_drift, drifted_columns = EXCLUDED.drifted_columns,
       columns = EXCLUDED.columns, drifted_share = EXCLUDED.drifted_share,
       prediction_drift = EXCLUDED.prediction_drift, target_drift = EXCLUDED.target_drift,
       summary = EXCLUDED.summary, mlflow_run_id = EXCLUDED.mlflow_run_id, run_url = EXCLUDED.run_url,
       html_url = EXCLUDED.html_url, report = EXCLUDED.report, accuracy = EXCLUDED.accuracy
     RETURNING id`,
    [
      record.workflowId,
      record.modelName,
      record.modelVersion,
      record.status,
      record.reason ?? null,
      record.referenceSha256 ?? null,
      record.referenceRows ?? null,
      record.currentFrom,
      record.currentTo,
      record.currentRows ?? null,
      record.datasetDrift ?? null,
      record.driftedColumns ?? null,
      record.columns ?? null,
      record.driftedShare ?? null,
      record.predictionDrift ?? null,
      record.targetDrift ?? null,
      record.summary ?? null,
      record.mlflowRunId ?? null,
      record.runUrl ?? null,
      record.htmlUrl ?? null,
      record.report === undefined ? null : JSON.stringify(record.report),
      record.accuracy === undefined ? null : JSON.stringify(record.accuracy),
    ],
  );
  return Number(rows[0]?.id);
}

interface Row {
  id: string;
  workflow_id: string;
  model_name: string;
  model_version: string;
  status: 'reported' | 'no_reference';
  reason: string | null;
  reference_sha256: string | null;
  reference_rows: number | null;
  current_from: Date;
  current_to: Date;
  current_rows: number | null;
  dataset_drift: boolean | null;
  drifted_columns: number | null;
  columns: number | null;
  drifted_share: number | null;
  prediction_drift: boolean | null;
  target_drift: boolean | null;
  summary: string | null;
  mlflow_run_id: string | null;
  run_url: string | null;
  html_url: string | null;
  accuracy: LiveAccuracy[] | null;
  report?: unknown;
  created_at: Date;
}

const optional = <K extends string, V>(key: K, value: V | null | undefined) =>
  (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

function fromRow(row: Row): StoredMonitoringReport {
  return {
    id: Number(row.id),
    workflowId: row.workflow_id,
    modelName: row.model_name,
    modelVersion: row.model_version,
    status: row.status,
    ...optional('reason', row.reason),
    ...optional('referenceSha256', row.reference_sha256),
    ...optional('referenceRows', row.reference_rows),
    currentFrom: row.current_from.toISOString(),
    currentTo: row.current_to.toISOString(),
    ...optional('currentRows', row.current_rows),
    ...optional('datasetDrift', row.dataset_drift),
    ...optional('driftedColumns', row.drifted_columns),
    ...optional('columns', row.columns),
    ...optional('driftedShare', row.drifted_share),
    ...optional('predictionDrift', row.prediction_drift),
    ...optional('targetDrift', row.target_drift),
    ...optional('summary', row.summary),
    ...optional('mlflowRunId', row.mlflow_run_id),
    ...optional('runUrl', row.run_url),
    ...optional('htmlUrl', row.html_url),
    ...optional('accuracy', row.accuracy),
    ...(row.report === undefined || row.report === null ? {} : { report: row.report }),
    createdAt: row.created_at.toISOString(),
  };
}

const listed = `id, workflow_id, model_name, model_version, status, reason, reference_sha256, reference_rows,
  current_from, current_to, current_rows, dataset_drift, drifted_columns, columns, drifted_share,
  prediction_drift, target_drift, summary, mlflow_run_id, run_url, html_url, accuracy, created_at`;

/** Reports newest first (without the full report), optionally of one model. */
export async function listMonitoringReports(
  pool: pg.Pool,
  options: { modelName?: string; limit?: number } = {},
): Promise<StoredMonitoringReport[]> {
  const { rows } = await pool.query<Row>(
    `SELECT ${listed} FROM monitoring_reports
      WHERE $1::text IS NULL OR model_name = $1
      ORDER BY created_at DESC, id DESC LIMIT $2`,
    [options.modelName ?? null, options.limit ?? 50],
  );
  return rows.map(fromRow);
}

/** The newest report of each model: what the API's gauges show. */
export async function latestMonitoringReports(pool: pg.Pool): Promise<StoredMonitoringReport[]> {
  const { rows } = await pool.query<Row>(
    `SELECT DISTINCT ON (model_name) ${listed} FROM monitoring_reports
      ORDER BY model_name, created_at DESC, id DESC`,
  );
  return rows.map(fromRow);
}

/** One report with its full JSON; `UNKNOWN_MONITORING_REPORT` (404) when there is none. */
export async function findMonitoringReport(pool: pg.Pool, id: number): Promise<StoredMonitoringReport> {
  const { rows } = await pool.query<Row>(`SELECT ${listed}, report FROM monitoring_reports WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row) {
    throw new AppError('UNKNOWN_MONITORING_REPORT', `no monitoring report ${id}`, {
      httpStatus: 404,
      operational: true,
    });
  }
  return fromRow(row);
}

/** The reports of one model version, newest first, as the retraining rule reads them. */
export async function versionDriftVerdicts(
  pool: pg.Pool,
  modelName: string,
  modelVersion: string,
  limit = 60,
): Promise<DriftVerdict[]> {
  const { rows } = await pool.query<Row>(
    `SELECT ${listed} FROM monitoring_reports WHERE model_name = $1 AND model_version = $2
      ORDER BY current_to DESC, created_at DESC, id DESC LIMIT $3`,
    [modelName, modelVersion, limit],
  );
  return rows.map((row) => ({
    reportId: Number(row.id),
    from: row.current_from.toISOString().replace('.000Z', 'Z'),
    to: row.current_to.toISOString().replace('.000Z', 'Z'),
    ...optional('datasetDrift', row.dataset_drift),
    ...optional('summary', row.summary),
    ...optional('reportUrl', row.html_url ?? row.run_url),
  }));
}

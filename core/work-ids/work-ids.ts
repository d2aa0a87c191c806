/**
 * One workflow id per piece of work, whoever starts it (airq, the API, `npm start`, a Schedule's starter,
 * an Airflow run): the id is derived from the workflow, its places, its window and its parameters alone, so
 * every trigger of the same work joins one run. `dags/aqi_airflow/work_ids.py` writes the same ids; the
 * cases in test/fixtures/work-ids/cases.json hold both sides to it. Hours are written compactly
 * (`2024-03-01T05`). Workflow code imports this file: keep it free of Node APIs.
 */
import { fnv1a } from '../fnv1a';

const compactHour = (iso: string) => iso.slice(0, 13);

/**
 * Temporal refuses a workflow id over 1000 bytes: past this many characters the location list is written
 * as its first id, how many others, and a hash of the whole list (still one id per set of places).
 */
const maxLocationsPart = 200;

function locationsPart(ids: readonly string[]): string {
  const sorted = [...new Set(ids)].sort();
  const joined = sorted.join('+');
  if (joined.length <= maxLocationsPart) return joined;
  return `${(sorted[0] ?? '').slice(0, 64)}-and-${sorted.length - 1}-more-${fnv1a(joined)}`;
}

/** `ingest-history-lyon-2024-01-01T00-2024-01-31T23` (last hour inclusive, as `airq backfill`). */
export function ingestHistoryWorkId(locationIds: readonly string[], from: string, to: string, dryRun = false): string {
  return `ingest-history-${locationsPart(locationIds)}-${compactHour(from)}-${compactHour(to)}${dryRun ? '-dry-run' : ''}`;
}

/** `ingest-hourly-lyon+paris-2024-03-01T05`: the hour whose readings are ingested. */
export function ingestHourlyWorkId(locationIds: readonly string[], hour: string): string {
  return `ingest-hourly-${locationsPart(locationIds)}-${compactHour(hour)}`;
}

/** `quality-lyon-2024-03-01T00-2024-03-02T00`: the window [from, to). */
export function dataQualityWorkId(locationIds: readonly string[], from: string, to: string): string {
  return `quality-${locationsPart(locationIds)}-${compactHour(from)}-${compactHour(to)}`;
}

/** `sensor-daily-rollup-2024-03-05`: one rollup per UTC day. */
export function sensorDailyRollupWorkId(day: string): string {
  return `sensor-daily-rollup-${day}`;
}

/** `monitor-champions-7d-2024-03-02T00`: every champion's report on the `windowDays` before `to`. */
export function monitorChampionsWorkId(windowDays: number, to: string): string {
  return `monitor-champions-${windowDays}d-${compactHour(to)}`;
}

/**
 * A report on "the newest stored hours" names no window, so it is new work each time it is asked for:
 * `monitor-champions-latest-<stamp>` (airq: the second it was asked; Airflow: its run id).
 */
export function latestMonitorWorkId(stamp: string): string {
  return `monitor-champions-latest-${stamp.replace(/[^A-Za-z0-9_.:+-]/g, '_')}`;
}

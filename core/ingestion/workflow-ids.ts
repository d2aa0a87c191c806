/**
 * Workflow ids derived from what a run does, so a retried command, an Airflow re-run or a double click
 * joins the existing run instead of starting a second one. Hours are written compactly (`2024-01-01T05`).
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

export function ingestHistoryWorkflowId(locationIds: readonly string[], from: string, to: string): string {
  return `ingest-history-${locationsPart(locationIds)}-${compactHour(from)}-${compactHour(to)}`;
}

export function ingestHourlyWorkflowId(locationIds: readonly string[], hour: string): string {
  return `ingest-hourly-${locationsPart(locationIds)}-${compactHour(hour)}`;
}

export function dataQualityWorkflowId(locationIds: readonly string[], from: string, to: string): string {
  return `quality-${locationsPart(locationIds)}-${compactHour(from)}-${compactHour(to)}`;
}

/**
 * Workflow ids derived from what a run does, so a retried command, an Airflow re-run or a double click
 * joins the existing run instead of starting a second one. Hours are written compactly (`2024-01-01T05`).
 */
const compactHour = (iso: string) => iso.slice(0, 13);
const locationsPart = (ids: readonly string[]) => [...new Set(ids)].sort().join('+');

export function ingestHistoryWorkflowId(locationIds: readonly string[], from: string, to: string): string {
  return `ingest-history-${locationsPart(locationIds)}-${compactHour(from)}-${compactHour(to)}`;
}

export function ingestHourlyWorkflowId(locationIds: readonly string[], hour: string): string {
  return `ingest-hourly-${locationsPart(locationIds)}-${compactHour(hour)}`;
}

export function dataQualityWorkflowId(locationIds: readonly string[], from: string, to: string): string {
  return `quality-${locationsPart(locationIds)}-${compactHour(from)}-${compactHour(to)}`;
}

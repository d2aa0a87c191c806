/**
 * checkDataQuality: the gate in front of training and dashboards.
 *   1. Assess the stored readings of the window [from, to) for the locations (one activity: read, run every
 *      check, store the report).
 *   2. pass / warn: return the verdict and the report id.
 *   3. fail: alert people, then end with a non-retryable DataQualityError carrying the report id, so
 *      whoever triggered the run (Airflow, a schedule, a training pipeline) stops and a person can read
 *      the report.
 */
import { ApplicationFailure, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';

import type { IngestionActivities } from '../activities/ingestion';
import type { QualityActivities, QualityOutcome } from '../activities/quality';
import { qualityFailedAlert } from '../core/alerts/pipeline-alerts';
import { parseHour, toHourString } from '../core/ingestion/chunks';
import { searchAttributes } from '../temporal/search-attributes';

import { tell } from './alerting';
import { recordTriggers } from './work-triggers';

export interface CheckDataQualityInput {
  locationIds: string[];
  /** First hour of the window, inclusive. Left out with `to` (schedules): the source's last 24 hours. */
  from?: string;
  /** End of the window, exclusive. */
  to?: string;
  /** The clock freshness is judged against; defaults to the workflow's start time. */
  now?: string;
}

const { latestSourceHour } = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});

const { assessDataQuality } = proxyActivities<QualityActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});

export async function checkDataQuality(input: CheckDataQualityInput): Promise<QualityOutcome> {
  recordTriggers();
  const window =
    input.from !== undefined && input.to !== undefined
      ? { from: input.from, to: input.to }
      : lastDayBefore(await latestSourceHour({ locationIds: input.locationIds }));
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'checkDataQuality' },
    { key: searchAttributes.locations, value: [...input.locationIds].sort() },
    { key: searchAttributes.rangeStart, value: new Date(window.from) },
    { key: searchAttributes.rangeEnd, value: new Date(window.to) },
  ]);
  const outcome = await assessDataQuality({
    locationIds: input.locationIds,
    ...window,
    now: input.now ?? new Date().toISOString(),
  });
  if (outcome.verdict === 'fail') {
    const { workflowId } = workflowInfo();
    await tell(
      qualityFailedAlert({
        workflowId,
        locationIds: input.locationIds,
        ...window,
        reportId: outcome.reportId,
        findings: outcome.findings,
        at: new Date().toISOString(),
      }),
    );
    throw ApplicationFailure.create({
      type: 'DataQualityError',
      message: `data quality failed (report ${outcome.reportId}): ${outcome.findings.join('; ')}`,
      nonRetryable: true,
      details: [outcome],
    });
  }
  return outcome;
}

/** The 24 hours up to and including `latestHour`, as a [from, to) window. */
function lastDayBefore(latestHour: string): { from: string; to: string } {
  const end = parseHour(latestHour, 'latest hour') + 3600_000;
  return { from: toHourString(end - 24 * 3600_000), to: toHourString(end) };
}

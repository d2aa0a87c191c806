/**
 * checkDataQuality: the gate in front of training and dashboards.
 *   1. Assess the stored readings of the window [from, to) for the locations (one activity: read, run every
 *      check, store the report).
 *   2. pass / warn: return the verdict and the report id.
 *   3. fail: end with a non-retryable DataQualityError carrying the report id, so whoever triggered the
 *      run (Airflow, a schedule, a training pipeline) stops and a person can read the report.
 */
import { ApplicationFailure, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';

import type { QualityActivities, QualityOutcome } from '../activities/quality';
import { searchAttributes } from '../temporal/search-attributes';

export interface CheckDataQualityInput {
  locationIds: string[];
  /** First hour of the window, inclusive. */
  from: string;
  /** End of the window, exclusive. */
  to: string;
  /** The clock freshness is judged against; defaults to the workflow's start time. */
  now?: string;
}

const { assessDataQuality } = proxyActivities<QualityActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});

export async function checkDataQuality(input: CheckDataQualityInput): Promise<QualityOutcome> {
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'checkDataQuality' },
    { key: searchAttributes.locations, value: [...input.locationIds].sort() },
    { key: searchAttributes.rangeStart, value: new Date(input.from) },
    { key: searchAttributes.rangeEnd, value: new Date(input.to) },
  ]);
  const outcome = await assessDataQuality({ ...input, now: input.now ?? new Date().toISOString() });
  if (outcome.verdict === 'fail') {
    throw ApplicationFailure.create({
      type: 'DataQualityError',
      message: `data quality failed (report ${outcome.reportId}): ${outcome.findings.join('; ')}`,
      nonRetryable: true,
      details: [outcome],
    });
  }
  return outcome;
}

/**
 * ingestHourly: brings one hour (and the few before it, in case the source revised them) in through the
 * stream.
 *   0. Without an explicit hour (a schedule), ask the source for its latest hour.
 *   1. Fetch the window from the source and publish each reading to Kafka `aqi.raw` (key = location).
 *   2. Wait, with an activity whose retries are the wait, until the stream processor has stored them.
 *   3. Score (live accuracy): every champion predicts from the stored hours into the prediction log, and
 *      predictions waiting for these hours get their actuals. Behind `patched('live-accuracy')`; a scoring
 *      that fails is reported in the result, never fails the ingest.
 *   4. Tell people (behind `patched('poor-air-alerts')`) of every observed hour of the window and every
 *      forecast made from it at "poor" or worse: one alert per location, kind, day and band. A lookup that
 *      fails is logged, never fails the ingest.
 *   5. Return the counts.
 */
import { log, patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';

import type { AirQualityAlertActivities } from '../activities/air-quality-alerts';
import type { IngestionActivities } from '../activities/ingestion';
import type { LiveAccuracyActivities, ScoringOutcome } from '../activities/live-accuracy';
import { poorAirAlerts } from '../core/alerts/air-quality-alerts';
import { parseHour, toHourString } from '../core/ingestion/chunks';
import { searchAttributes } from '../temporal/search-attributes';

import { tell } from './alerting';
import { recordTriggers } from './work-triggers';

export interface IngestHourlyInput {
  locationIds: string[];
  /** The hour to ingest (ISO, whole UTC hour); left out (schedules), the source's latest hour. */
  hour?: string;
  /** Hours before `hour` fetched again, because the source revises recent hours. Default 2. */
  lookbackHours?: number;
}

export interface IngestHourlyResult {
  from: string;
  to: string;
  published: number;
  persisted: number;
  /** What the scoring step logged and resolved, or why it could not (runs from before it have neither). */
  scoring?: ScoringOutcome;
  scoringError?: string;
}

const { publishRawReadings, latestSourceHour } = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});

// The stream processor normally stores a reading within a second or two; give it five minutes.
const { awaitReadingsPersisted } = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '15 seconds', maximumAttempts: 30 },
});

// Downloads each champion once per worker, then predicts a few hours: seconds. Few attempts: the next hour scores again.
const { scoreStoredHours } = proxyActivities<LiveAccuracyActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

// One query over the window's readings and prediction log: seconds at most.
const { findPoorAir } = proxyActivities<AirQualityAlertActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

export async function ingestHourly(input: IngestHourlyInput): Promise<IngestHourlyResult> {
  recordTriggers();
  const hour = input.hour ?? (await latestSourceHour({ locationIds: input.locationIds }));
  const to = toHourString(parseHour(hour, 'hour'));
  const from = toHourString(parseHour(to, 'hour') - (input.lookbackHours ?? 2) * 3600_000);
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'ingestHourly' },
    { key: searchAttributes.locations, value: [...input.locationIds].sort() },
    { key: searchAttributes.rangeStart, value: new Date(from) },
    { key: searchAttributes.rangeEnd, value: new Date(to) },
  ]);
  const { published, expected } = await publishRawReadings({ locationIds: input.locationIds, from, to });
  const { persisted } = await awaitReadingsPersisted({ expected });
  if (!patched('live-accuracy')) return { from, to, published, persisted };
  let result: IngestHourlyResult;
  try {
    const scoring = await scoreStoredHours({ locationIds: input.locationIds, from, to });
    result = { from, to, published, persisted, scoring };
  } catch (err) {
    const scoringError = causeOf(err);
    log.warn('live-accuracy scoring failed; the hour is stored', { scoringError });
    result = { from, to, published, persisted, scoringError };
  }
  if (patched('poor-air-alerts')) await tellPoorAir(input.locationIds, from, to);
  return result;
}

async function tellPoorAir(locationIds: string[], from: string, to: string): Promise<void> {
  let hours;
  try {
    hours = await findPoorAir({ locationIds, from, to });
  } catch (err) {
    log.warn('poor-air lookup failed; the hour is stored', { error: causeOf(err) });
    return;
  }
  for (const alert of poorAirAlerts(hours, new Date().toISOString())) await tell(alert);
}

const causeOf = (err: unknown): string =>
  err instanceof Error ? (err.cause instanceof Error ? err.cause : err).message : String(err);

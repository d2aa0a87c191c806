/**
 * ingestHourly: brings one hour (and the few before it, in case the source revised them) in through the
 * stream.
 *   0. Without an explicit hour (a schedule), ask the source for its latest hour.
 *   1. Fetch the window from the source and publish each reading to Kafka `aqi.raw` (key = location).
 *   2. Wait, with an activity whose retries are the wait, until the stream processor has stored them.
 *   3. Return the counts.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';

import type { IngestionActivities } from '../activities/ingestion';
import { parseHour, toHourString } from '../core/ingestion/chunks';
import { searchAttributes } from '../temporal/search-attributes';

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

export async function ingestHourly(input: IngestHourlyInput): Promise<IngestHourlyResult> {
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
  return { from, to, published, persisted };
}

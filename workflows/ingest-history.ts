/**
 * ingestHistory: backfills a time range for some locations, straight into PostgreSQL.
 *   1. Plan the chunks (location × month) and tag the run with search attributes (findable in the UI).
 *   2. Ask the source for its plan (the locations' coordinates and the calls it will make); an offline source
 *      that does not hold a place or hour fails the run here, before anything is written. dryRun: stop here.
 *   3. Run the chunks with bounded parallelism; each is an idempotent activity (upserts), so a retry, a
 *      worker crash or a second run of the same range writes nothing twice.
 *   4. When Temporal suggests it (long ranges), continue as new with the chunks still to do.
 * The `progress` query reports chunks done/total and rows written at any time.
 */
import {
  continueAsNew,
  defineQuery,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { ChunkResult, IngestionActivities, SourcePlan } from '../activities/ingestion';
import { planHistoryChunks, type HistoryChunk } from '../core/ingestion/chunks';
import { searchAttributes } from '../temporal/search-attributes';

import { recordTriggers } from './work-triggers';

export interface IngestHistoryInput {
  locationIds: string[];
  /** First hour, inclusive (ISO, whole UTC hour). */
  from: string;
  /** Last hour, inclusive. */
  to: string;
  dryRun?: boolean;
  maxParallelChunks?: number;
  /** Continue as new after this many chunks (besides whenever Temporal suggests it); tests use it. */
  chunksPerRun?: number;
  /** Carried across continue-as-new; callers leave it out. */
  carried?: { remaining: HistoryChunk[]; progress: IngestHistoryProgress };
}

export interface IngestHistoryProgress {
  chunksTotal: number;
  chunksDone: number;
  rowsFetched: number;
  rowsWritten: number;
  rowsUnchanged: number;
}

export interface IngestHistoryResult extends IngestHistoryProgress {
  dryRun: boolean;
  chunks: HistoryChunk[];
  /** The source's plan (absent in runs started before the plan existed, or continued as new). */
  source?: SourcePlan;
}

export const ingestHistoryProgressQuery = defineQuery<IngestHistoryProgress>('progress');

// A month of one location takes seconds; five minutes leaves room for a slow source and its retries. The
// activity heartbeats between its steps, so a chunk whose worker died is retried after 20 s, not 5 min.
// Asking the source what it holds is quick; a refusal is final (non-retryable), an outage is retried.
const { planHistorySource } = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});
const { ingestHistoryChunk } = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

export async function ingestHistory(input: IngestHistoryInput): Promise<IngestHistoryResult> {
  recordTriggers();
  const plan = input.carried?.remaining ?? planHistoryChunks(input.locationIds, input.from, input.to);
  const progress: IngestHistoryProgress = input.carried?.progress ?? {
    chunksTotal: plan.length,
    chunksDone: 0,
    rowsFetched: 0,
    rowsWritten: 0,
    rowsUnchanged: 0,
  };
  setHandler(ingestHistoryProgressQuery, () => progress);
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'ingestHistory' },
    { key: searchAttributes.locations, value: [...input.locationIds].sort() },
    { key: searchAttributes.rangeStart, value: new Date(input.from) },
    { key: searchAttributes.rangeEnd, value: new Date(input.to) },
  ]);
  // Runs that began before this step existed replay without it (see "Versioning" in docs/architecture.md).
  const source =
    input.carried === undefined && patched('plan-history-source')
      ? await planHistorySource({ locationIds: input.locationIds, from: input.from, to: input.to })
      : undefined;
  const withSource = source === undefined ? {} : { source };
  if (input.dryRun) return { ...progress, dryRun: true, chunks: plan, ...withSource };

  const queue = [...plan];
  let stopTaking = false;
  const record = (result: ChunkResult) => {
    progress.chunksDone += 1;
    progress.rowsFetched += result.fetched;
    progress.rowsWritten += result.written;
    progress.rowsUnchanged += result.unchanged;
  };
  let takenThisRun = 0;
  const runner = async () => {
    while (!stopTaking) {
      const chunk = queue.shift();
      if (!chunk) return;
      takenThisRun += 1;
      if (input.chunksPerRun !== undefined && takenThisRun >= input.chunksPerRun) stopTaking = true;
      record(await ingestHistoryChunk(chunk));
      if (workflowInfo().continueAsNewSuggested) stopTaking = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.maxParallelChunks ?? 4) }, runner));

  if (queue.length > 0) {
    await continueAsNew<typeof ingestHistory>({ ...input, carried: { remaining: queue, progress } });
  }
  return { ...progress, dryRun: false, chunks: plan, ...withSource };
}

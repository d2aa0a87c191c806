import type { HistoryChunk } from '../core/ingestion/chunks';
import { namesOf, recording, type HistoryActivities } from '../test/workflows/activity-fakes';
import { timeSkippingForFile, withWorkers, workflowIdFor } from '../test/workflows/time-skipping';

import { ingestHistory } from './ingest-history';

/** ingestHistory's continue-as-new on the time-skipping test server, with fake source and chunk activities. */
jest.setTimeout(60_000);
const ts = timeSkippingForFile();

const months: HistoryChunk[] = [
  { locationId: 'lyon', from: '2024-01-01T00:00:00Z', to: '2024-01-31T23:00:00Z' },
  { locationId: 'lyon', from: '2024-02-01T00:00:00Z', to: '2024-02-29T23:00:00Z' },
  { locationId: 'lyon', from: '2024-03-01T00:00:00Z', to: '2024-03-31T23:00:00Z' },
];

describe('ingestHistory on the time-skipping test server', () => {
  it('when chunksPerRun is 1, then each month runs in a run of its own, continued as new, with progress carried', async () => {
    const fakes: HistoryActivities = {
      planHistorySource: async () => ({ source: 'replay', locations: [], calls: [] }),
      ingestHistoryChunk: async (chunk) => ({ locationId: chunk.locationId, fetched: 10, written: 7, unchanged: 3 }),
    };
    const { activities, calls } = recording(fakes);

    const { result, firstRun } = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const handle = await ts.env.client.workflow.start(ingestHistory, {
        taskQueue,
        workflowId: workflowIdFor('ingest-history-lyon'),
        args: [{ locationIds: ['lyon'], from: months[0]!.from, to: months[2]!.to, chunksPerRun: 1 }],
      });
      const done = await handle.result();
      const history = await ts.env.client.workflow
        .getHandle(handle.workflowId, handle.firstExecutionRunId)
        .fetchHistory();
      return { result: done, firstRun: history.events ?? [] };
    });

    // The last run reports the whole backfill: its own chunk, the progress carried through both continuations.
    expect(result).toEqual({
      chunksTotal: 3,
      chunksDone: 3,
      rowsFetched: 30,
      rowsWritten: 21,
      rowsUnchanged: 9,
      dryRun: false,
      chunks: [months[2]],
    });
    expect(firstRun.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    // The source is asked once, before anything is written; then the months in order, one per run.
    expect(namesOf(calls)).toEqual([
      'planHistorySource',
      'ingestHistoryChunk',
      'ingestHistoryChunk',
      'ingestHistoryChunk',
    ]);
    expect(calls.map((c) => c.input)).toEqual([
      { locationIds: ['lyon'], from: months[0]!.from, to: months[2]!.to },
      ...months,
    ]);
  });
});

/**
 * startScheduledWork: what a Temporal Schedule starts in place of the work itself. A schedule's action
 * gets a workflow id with its time appended, so it could never share the work's id with Airflow or airq;
 * this small starter gives the work its own id instead.
 *   1. Take the scheduled time (Temporal's `TemporalScheduledStartTime`; the start time without one).
 *   2. Ask the source for its newest hour when the work reads the source (so a run never asks past it).
 *   3. Plan the work from them (core/work-ids/scheduled.ts): workflow, input and work id.
 *   4. Start or join it (signal-with-start, the schedule as trigger) and return what happened; it does not
 *      wait for the work.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';

import type { IngestionActivities } from '../activities/ingestion';
import type { ScheduledWorkActivities, StartedWork } from '../activities/scheduled-work';
import { needsSourceClock, planScheduledWork, type ScheduledWorkKind } from '../core/work-ids/scheduled';
import { searchAttributes } from '../temporal/search-attributes';

export interface StartScheduledWorkInput {
  work: ScheduledWorkKind;
  /** The schedule's id: the trigger's detail. */
  scheduleId: string;
  locationIds: string[];
  /** Where the work runs (the pipeline worker's task queue). */
  taskQueue: string;
}

export interface StartScheduledWorkResult extends StartedWork {
  scheduledAt: string;
}

/** Set by Temporal on every run a schedule starts. */
const scheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const { latestSourceHour } = proxyActivities<IngestionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});

// One call to the Temporal frontend: seconds at most.
const { startScheduledWorkRun } = proxyActivities<ScheduledWorkActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

export async function startScheduledWork(input: StartScheduledWorkInput): Promise<StartScheduledWorkResult> {
  // 1. Scheduled time
  const info = workflowInfo();
  const scheduledAt = (info.typedSearchAttributes.get(scheduledStartTime) ?? info.startTime).getTime();
  upsertSearchAttributes([{ key: searchAttributes.pipeline, value: 'startScheduledWork' }]);

  // 2. The source's clock
  const sourceLatestHour = needsSourceClock(input.work)
    ? await latestSourceHour({ locationIds: input.locationIds })
    : undefined;

  // 3. Plan
  const plan = planScheduledWork(input.work, {
    scheduledAt,
    locationIds: input.locationIds,
    ...(sourceLatestHour === undefined ? {} : { sourceLatestHour }),
  });

  // 4. Start or join
  const trigger = {
    source: 'schedule' as const,
    detail: `${input.scheduleId} at ${new Date(scheduledAt).toISOString()}`,
    at: new Date().toISOString(),
  };
  const started = await startScheduledWorkRun({ plan, taskQueue: input.taskQueue, trigger });
  upsertMemo({ work: started });
  return { ...started, scheduledAt: new Date(scheduledAt).toISOString() };
}

import type { Client } from '@temporalio/client';

import { startPlannedWork, type StartedWork } from '../adapters/temporal/scheduled-work';
import type { PlannedWork } from '../core/work-ids/scheduled';
import type { WorkTrigger } from '../core/work-ids/trigger';

export interface ScheduledWorkDeps {
  temporal: Client;
}

export type { StartedWork };

/** The one side effect of a Temporal Schedule's starter: start (or join) the work it planned. */
export function createScheduledWorkActivities({ temporal }: ScheduledWorkDeps) {
  return {
    /**
     * Signal-with-start of the planned work with the schedule as its trigger. A retried attempt may signal
     * the run twice with the same trigger, which the run lists once (`withTrigger`); the work runs once.
     */
    async startScheduledWorkRun(input: { plan: PlannedWork; taskQueue: string; trigger: WorkTrigger }) {
      return startPlannedWork(temporal, input.plan, input.taskQueue, input.trigger);
    },
  };
}

export type ScheduledWorkActivities = ReturnType<typeof createScheduledWorkActivities>;

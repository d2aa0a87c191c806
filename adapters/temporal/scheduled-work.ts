import type { Client } from '@temporalio/client';

import type { PlannedWork } from '../../core/work-ids/scheduled';
import type { WorkTrigger } from '../../core/work-ids/trigger';
import { checkDataQuality } from '../../workflows/check-data-quality';
import { ingestHourly } from '../../workflows/ingest-hourly';
import { monitorChampions } from '../../workflows/monitor-champions';
import { sensorDailyRollup } from '../../workflows/sensor-daily-rollup';

import { startOrJoinWork, type StartedRun } from './start-or-join';

/** What a scheduled run did with its work: started it, joined the run doing it, or found it done. */
export interface StartedWork {
  workflowId: string;
  outcome: 'started' | 'joined' | 'already_done';
  completedRun?: string;
}

/**
 * Starts or joins the work a schedule's run planned, named by its workflow function (typed input), with
 * the schedule as its trigger.
 */
export async function startPlannedWork(
  client: Client,
  plan: PlannedWork,
  taskQueue: string,
  trigger: WorkTrigger,
): Promise<StartedWork> {
  const common = { workflowId: plan.workflowId, taskQueue, trigger };
  const run = await startRun(client, plan, common);
  const outcome = run.completedRun !== undefined ? 'already_done' : run.started ? 'started' : 'joined';
  return {
    workflowId: plan.workflowId,
    outcome,
    ...(run.completedRun === undefined ? {} : { completedRun: run.completedRun }),
  };
}

function startRun(
  client: Client,
  plan: PlannedWork,
  common: { workflowId: string; taskQueue: string; trigger: WorkTrigger },
): Promise<Pick<StartedRun<unknown, unknown>, 'started' | 'completedRun'>> {
  switch (plan.workflow) {
    case 'ingestHourly':
      return startOrJoinWork(client, { ...common, workflow: ingestHourly, input: plan.input });
    case 'checkDataQuality':
      return startOrJoinWork(client, { ...common, workflow: checkDataQuality, input: plan.input });
    case 'sensorDailyRollup':
      return startOrJoinWork(client, { ...common, workflow: sensorDailyRollup, input: plan.input });
    case 'monitorChampions':
      return startOrJoinWork(client, { ...common, workflow: monitorChampions, input: plan.input });
  }
}

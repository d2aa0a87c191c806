import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';

import type { Config } from '../../config';
import { checkDataQuality } from '../../workflows/check-data-quality';
import { ingestHourly } from '../../workflows/ingest-hourly';
import { monitorChampions } from '../../workflows/monitor-champions';
import { sensorDailyRollup } from '../../workflows/sensor-daily-rollup';

/**
 * The platform's recurring runs, replacing cron: each schedule starts a workflow without an explicit window.
 * Actions name the workflow function, and `satisfies` checks their args against its input.
 */
export function platformSchedules(config: Config, locationIds: readonly string[]): ScheduleOptions[] {
  const common = {
    // A run still going when the next one is due is let finish; the next is skipped, not stacked.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  } as const;
  return [
    {
      scheduleId: 'aqi-hourly-ingest',
      // Five past the hour, when the source has published the hour before.
      spec: { cronExpressions: ['5 * * * *'] },
      action: {
        type: 'startWorkflow',
        workflowType: ingestHourly,
        taskQueue: config.temporal.taskQueue,
        workflowId: 'scheduled-ingest-hourly',
        args: [{ locationIds: [...locationIds] }],
      } satisfies ScheduleOptionsStartWorkflowAction<typeof ingestHourly>,
      memo: { description: 'ingest the latest hour of every location through Kafka' },
      ...common,
    },
    {
      scheduleId: 'aqi-daily-quality',
      spec: { cronExpressions: ['30 0 * * *'] },
      action: {
        type: 'startWorkflow',
        workflowType: checkDataQuality,
        taskQueue: config.temporal.taskQueue,
        workflowId: 'scheduled-quality',
        args: [{ locationIds: [...locationIds] }],
      } satisfies ScheduleOptionsStartWorkflowAction<typeof checkDataQuality>,
      memo: { description: 'check the data quality of the last 24 hours' },
      ...common,
    },
    {
      scheduleId: 'aqi-sensor-daily-rollup',
      // 01:15 UTC: yesterday's late readings (5 min of lateness) and its last reference hour (ingested at
      // 00:05) are in; the workflow takes the day before its start.
      spec: { cronExpressions: ['15 1 * * *'] },
      action: {
        type: 'startWorkflow',
        workflowType: sensorDailyRollup,
        taskQueue: config.temporal.taskQueue,
        workflowId: 'scheduled-sensor-daily-rollup',
        args: [{}],
      } satisfies ScheduleOptionsStartWorkflowAction<typeof sensorDailyRollup>,
      memo: { description: "sensors' hourly means, calibration, drift and neighbour checks of yesterday" },
      // A missed night (the server down) is still worth rolling up the next morning.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    },
    {
      scheduleId: 'aqi-champion-monitor',
      // 02:00 UTC: after the hourly ingest of midnight and the rollup, on the last 7 days of stored hours.
      spec: { cronExpressions: ['0 2 * * *'] },
      action: {
        type: 'startWorkflow',
        workflowType: monitorChampions,
        taskQueue: config.temporal.taskQueue,
        workflowId: 'scheduled-monitor-champions',
        args: [{}],
      } satisfies ScheduleOptionsStartWorkflowAction<typeof monitorChampions>,
      memo: { description: "each champion's drift report: its training snapshot against the last 7 days" },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    },
  ];
}

/** Creates each schedule, or updates it in place when it exists: running the command twice is harmless. */
export async function applySchedules(client: Client, schedules: ScheduleOptions[]): Promise<string[]> {
  const applied: string[] = [];
  for (const options of schedules) {
    try {
      await client.schedule.create(options);
      applied.push(`created ${options.scheduleId}`);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
      applied.push(`updated ${options.scheduleId}`);
    }
  }
  return applied;
}

export async function removeSchedules(client: Client, scheduleIds: readonly string[]): Promise<void> {
  for (const id of scheduleIds)
    await client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
}

import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
} from '@temporalio/client';

import type { Config } from '../../config';
import type { ScheduledWorkKind } from '../../core/work-ids/scheduled';
import { startScheduledWork } from '../../workflows/start-scheduled-work';

/**
 * The platform's recurring runs, replacing cron. Each schedule starts `startScheduledWork`, which derives
 * the window from the scheduled time and starts (or joins) the work under the work's own id, the one
 * Airflow and airq use for the same window (a schedule's own workflow id gets its time appended). The
 * starter ends once the work is started, so overlap is decided by the work ids: the same window is one
 * run, whoever asks; two windows may run side by side.
 */
export function platformSchedules(config: Config, locationIds: readonly string[]): ScheduleOptions[] {
  const common = {
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  } as const;
  const starter = (scheduleId: string, work: ScheduledWorkKind) =>
    ({
      type: 'startWorkflow',
      workflowType: startScheduledWork,
      taskQueue: config.temporal.taskQueue,
      workflowId: `scheduled-${scheduleId}`,
      args: [{ work, scheduleId, locationIds: [...locationIds], taskQueue: config.temporal.taskQueue }],
    }) satisfies ScheduleOptionsStartWorkflowAction<typeof startScheduledWork>;
  return [
    {
      scheduleId: 'aqi-hourly-ingest',
      // Five past the hour, when the source has published the hour before.
      spec: { cronExpressions: ['5 * * * *'] },
      action: starter('aqi-hourly-ingest', 'ingestHourly'),
      memo: { description: "ingest the hour before (or the source's newest) of every location through Kafka" },
      ...common,
    },
    {
      scheduleId: 'aqi-daily-quality',
      spec: { cronExpressions: ['30 0 * * *'] },
      action: starter('aqi-daily-quality', 'checkDataQuality'),
      memo: { description: 'check the data quality of the UTC day before' },
      ...common,
    },
    {
      scheduleId: 'aqi-sensor-daily-rollup',
      // 01:15 UTC: yesterday's late readings (5 min of lateness) and its last reference hour (ingested at
      // 00:05) are in; the starter takes the day before the scheduled time.
      spec: { cronExpressions: ['15 1 * * *'] },
      action: starter('aqi-sensor-daily-rollup', 'sensorDailyRollup'),
      memo: { description: "sensors' hourly means, calibration, drift and neighbour checks of yesterday" },
      // A missed night (the server down) is still worth rolling up the next morning.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    },
    {
      scheduleId: 'aqi-champion-monitor',
      // 02:00 UTC: after the hourly ingest of midnight and the rollup, on the 7 days before midnight.
      spec: { cronExpressions: ['0 2 * * *'] },
      action: starter('aqi-champion-monitor', 'monitorChampions'),
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

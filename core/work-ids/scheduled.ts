/**
 * What a Temporal Schedule's run asks for, derived from its scheduled time, so that it names the same work
 * (and so the same workflow id) as an Airflow run or an `airq` command for that window. Workflow code
 * imports this file (the `startScheduledWork` starter): keep it free of Node APIs.
 */
import { parseHour, toHourString } from '../ingestion/chunks';
import { dayBefore, dayMs } from '../sensors/rollup-day';

import { dataQualityWorkId, ingestHourlyWorkId, monitorChampionsWorkId, sensorDailyRollupWorkId } from './work-ids';

export const scheduledWorkKinds = [
  'ingestHourly',
  'checkDataQuality',
  'sensorDailyRollup',
  'monitorChampions',
] as const;
export type ScheduledWorkKind = (typeof scheduledWorkKinds)[number];

export type PlannedWork =
  | { workflow: 'ingestHourly'; workflowId: string; input: { locationIds: string[]; hour: string } }
  | { workflow: 'checkDataQuality'; workflowId: string; input: { locationIds: string[]; from: string; to: string } }
  | { workflow: 'sensorDailyRollup'; workflowId: string; input: { day: string } }
  | { workflow: 'monitorChampions'; workflowId: string; input: { windowDays: number; to: string } };

const hourMs = 3_600_000;
/** The champion monitor's window, as the `aqi_monitoring` DAG and `airq monitor` default to. */
const monitorWindowDays = 7;

/** The rollup reads sensors by the wall clock; the others read the source, whose clock may be behind. */
export const needsSourceClock = (kind: ScheduledWorkKind): boolean => kind !== 'sensorDailyRollup';

/**
 * The work of one scheduled run. Its clock is the scheduled time, unless the source's newest hour is older
 * (the replay server's fixed clock): then the hour after that one, so a run never asks for hours the
 * source lacks. From that clock, as the Airflow DAGs take their data interval:
 * - ingestHourly: the whole hour before the clock (the run at 05:05 ingests 04:00, as Airflow's run of
 *   [04:00, 05:00) does);
 * - checkDataQuality: the UTC day before the clock's day, [00:00, 24:00);
 * - monitorChampions: the 7 days before the clock's day;
 * - sensorDailyRollup: the UTC day before the scheduled time.
 */
export function planScheduledWork(
  kind: ScheduledWorkKind,
  at: { scheduledAt: number; locationIds: readonly string[]; sourceLatestHour?: string },
): PlannedWork {
  const locationIds = [...new Set(at.locationIds)].sort();
  const sourceClock =
    at.sourceLatestHour === undefined ? Infinity : parseHour(at.sourceLatestHour, 'source latest hour') + hourMs;
  const clock = Math.min(at.scheduledAt, sourceClock);
  const dayStart = Math.floor(clock / dayMs) * dayMs;
  switch (kind) {
    case 'ingestHourly': {
      const hour = toHourString(Math.floor(clock / hourMs) * hourMs - hourMs);
      return { workflow: kind, workflowId: ingestHourlyWorkId(locationIds, hour), input: { locationIds, hour } };
    }
    case 'checkDataQuality': {
      const from = toHourString(dayStart - dayMs);
      const to = toHourString(dayStart);
      return { workflow: kind, workflowId: dataQualityWorkId(locationIds, from, to), input: { locationIds, from, to } };
    }
    case 'monitorChampions': {
      const to = toHourString(dayStart);
      return {
        workflow: kind,
        workflowId: monitorChampionsWorkId(monitorWindowDays, to),
        input: { windowDays: monitorWindowDays, to },
      };
    }
    case 'sensorDailyRollup': {
      const day = dayBefore(at.scheduledAt);
      return { workflow: kind, workflowId: sensorDailyRollupWorkId(day), input: { day } };
    }
  }
}

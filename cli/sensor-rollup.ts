import { connectTemporal, workflowUrl } from '../adapters/temporal/client';
import { startOrJoin } from '../adapters/temporal/start-or-join';
import type { Config } from '../config';
import { AppError } from '../core/errors';
import { dayBefore, dayMs, dayStartMs, rollupSettleMs } from '../core/sensors/rollup-day';
import { startOutcome, triggerNow } from '../core/work-ids/trigger';
import { sensorDailyRollupWorkId } from '../core/work-ids/work-ids';
import { sensorDailyRollup, type SensorDailyRollupResult } from '../workflows/sensor-daily-rollup';

import { cliActor } from './locations';

type Values = Record<string, string | boolean | undefined>;

/**
 * `airq sensors rollup [--day YYYY-MM-DD] [--json]`: the daily sensor batch of one UTC day (default
 * yesterday), started or joined under the day's workflow id and waited for. A day is rolled up once it is
 * over (15 minutes after its end, as the schedule does at 01:15).
 */
export async function rollupSensorDay(config: Config, values: Values, now = Date.now()): Promise<number> {
  const day = typeof values.day === 'string' ? values.day : dayBefore(now);
  const ready = dayStartMs(day, '--day') + dayMs + rollupSettleMs;
  if (ready > now) {
    throw new AppError(
      'INVALID_DAY',
      `--day: ${day} is not over yet; its rollup can run from ${new Date(ready).toISOString()}`,
      { httpStatus: 400 },
    );
  }
  const client = await connectTemporal(config);
  try {
    const workflowId = sensorDailyRollupWorkId(day);
    const trigger = triggerNow('cli', `airq sensors rollup by ${cliActor(values)}`);
    const run = await startOrJoin(client, config, sensorDailyRollup, workflowId, { day }, trigger);
    const { handle } = run;
    const progress = values.json === true ? console.error : console.log;
    progress(`${startOutcome(run, workflowId)}\n  ${workflowUrl(config, workflowId)}`);
    const result = await handle.result();
    console.log(values.json === true ? JSON.stringify(result, null, 2) : summary(result));
    return 0;
  } finally {
    await client.connection.close();
  }
}

function summary(r: SensorDailyRollupResult): string {
  const { means, checks, incidents } = r;
  return [
    `${r.day}: ${means.sensors} sensors, ${means.readings} readings → ${means.hours} hourly means (${means.hoursExcluded} hours under 75 % coverage; ${means.written} rows written, ${means.removed} removed)`,
    `  checks of ${checks.sensors} active sensors: ${checks.calibrations} calibrations, ${checks.opened} anomalies opened, ${checks.closed} closed, ${checks.open} open`,
    `  incidents: ${incidents.started.length} started, ${incidents.existing.length} already open, ${incidents.recovered.length} recovered`,
    ...incidents.started.map((id) => `    ${id}`),
  ].join('\n');
}

/**
 * sensorDailyRollup: the daily batch of the sensor network, for one UTC day (default: yesterday by the
 * workflow's clock, what the 01:15 schedule starts).
 *   1. Wait, if the day ended less than 15 minutes ago, for its last readings and reference hour to land.
 *   2. Hourly means of every sensor from its unflagged readings (75 % coverage), stored.
 *   3. The checks that need every sensor's means: neighbours hour by hour; each sensor's calibration
 *      against its reference over 7 and 30 days; drift. Calibrations and anomalies stored, anomalies
 *      published to sensors.anomalies.
 *   4. Incidents: a `sensorIncident` child per new drift (id from its anomaly id, parent close policy
 *      ABANDON: the incident waits for people long after this run ends); `faultRecovered` to the incident
 *      of a drift that closed.
 * Activities read by day and write by key, so running a day again stores nothing new and starts no second
 * incident (a child whose id exists is not started again).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  proxyActivities,
  sleep,
  startChild,
  upsertSearchAttributes,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';

import type { DailyChecksOutcome, HourlyMeansOutcome, SensorRollupActivities } from '../activities/sensor-rollup';
import { sensorIncidentWorkflowId } from '../core/sensors/incident';
import { dayBefore, dayMs, dayStartMs, rollupSettleMs } from '../core/sensors/rollup-day';
import { searchAttributes } from '../temporal/search-attributes';

import { faultRecoveredSignal, sensorIncident } from './sensor-incident';
import { recordTriggers } from './work-triggers';

export interface SensorDailyRollupInput {
  /** The UTC day, `YYYY-MM-DD`; default the day before the workflow's start. */
  day?: string;
}

export interface SensorDailyRollupResult {
  day: string;
  means: HourlyMeansOutcome;
  checks: Omit<DailyChecksOutcome, 'incidents'>;
  incidents: {
    /** Incident workflow ids started by this run, and those that already existed (a second run of the day). */
    started: string[];
    existing: string[];
    /** Incidents told that their drift ended, and those no longer running (closed by a person before). */
    recovered: string[];
    notRunning: string[];
  };
}

const { computeSensorHourlyMeans, runSensorDailyChecks } = proxyActivities<SensorRollupActivities>({
  // A day of a few hundred sensors is read and averaged in seconds; the heartbeat shows a stuck read early.
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10 },
});

export async function sensorDailyRollup(input: SensorDailyRollupInput = {}): Promise<SensorDailyRollupResult> {
  recordTriggers();
  const day = input.day ?? dayBefore(Date.now());
  let dayStart: number;
  try {
    dayStart = dayStartMs(day);
  } catch (err) {
    throw ApplicationFailure.nonRetryable((err as Error).message, 'INVALID_DAY');
  }
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'sensorDailyRollup' },
    { key: searchAttributes.rangeStart, value: new Date(dayStart) },
    { key: searchAttributes.rangeEnd, value: new Date(dayStart + dayMs) },
  ]);

  // 1. Settle
  const settled = dayStart + dayMs + rollupSettleMs;
  if (Date.now() < settled) await sleep(settled - Date.now());

  // 2. Hourly means
  const means = await computeSensorHourlyMeans({ day });

  // 3. Checks
  const { incidents, ...checks } = await runSensorDailyChecks({ day });

  // 4. Incidents
  const outcome: SensorDailyRollupResult['incidents'] = { started: [], existing: [], recovered: [], notRunning: [] };
  for (const incident of incidents.open) {
    const workflowId = sensorIncidentWorkflowId(incident.anomalyId);
    try {
      await startChild(sensorIncident, {
        workflowId,
        args: [incident],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // One incident per fault, as startOrJoin does: a closed one is not opened again by a later run of the day.
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      });
      outcome.started.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      outcome.existing.push(workflowId);
    }
  }
  for (const { anomalyId, at } of incidents.recovered) {
    const workflowId = sensorIncidentWorkflowId(anomalyId);
    try {
      await getExternalWorkflowHandle(workflowId).signal(faultRecoveredSignal, { at });
      outcome.recovered.push(workflowId);
    } catch (err) {
      // Closed already (a person resolved it) or never opened: nothing is waiting for the news.
      log.info('incident not signalled', { workflowId, error: String(err) });
      outcome.notRunning.push(workflowId);
    }
  }
  return { day, means, checks, incidents: outcome };
}

import { Context } from '@temporalio/activity';
import type { Producer } from 'kafkajs';

import { calibrationWindowsDays } from '../core/sensors/hourly/calibration';
import { dailyChecks } from '../core/sensors/hourly/daily-checks';
import { hourlyMeans } from '../core/sensors/hourly/hourly-means';
import { incidentAnomalyTypes, incidentInput, type SensorIncidentInput } from '../core/sensors/incident';
import { dayMs, dayStartMs, dayWindow } from '../core/sensors/rollup-day';
import type { DetectorThresholds } from '../core/sensors/thresholds';
import { topics } from '../core/topics';

import { failFastOnPermanent } from './failures';
import type { SensorRollupRepository } from './repositories';

/**
 * The daily sensor rollup's two steps (workflow `sensorDailyRollup`):
 * - `computeSensorHourlyMeans`: the day's hourly means of every sensor heard from that day, from its stored
 *   readings (`hourlyMeans`: unflagged readings, 75 % coverage), stored in place of the day's old ones;
 * - `runSensorDailyChecks`: the day's neighbour, calibration and drift checks (`dailyChecks`) over the
 *   stored means, the reference locations' readings, the anomalies open when the day started and the
 *   baselines established before it; stores the calibrations (with their verdicts), the new baselines and
 *   the anomalies, publishes the anomalies opened or closed to `sensors.anomalies`, and
 *   returns the incidents the workflow opens (drift) or tells of recovery.
 * Both read only what was stored before the day's end and write by key, so a retry or a second run of the
 * same day stores the same rows; anomalies may be published again (at least once, as the detector's
 * outbox does: consumers dedupe by anomaly id).
 */

export interface SensorRollupDeps {
  sensorRollup: SensorRollupRepository;
  producer: Producer;
  sensorChecks: {
    thresholds: DetectorThresholds;
    /** The incident workflow's `escalateAfter` (config SENSOR_INCIDENT_ESCALATE_AFTER). */
    incidentEscalateAfter: string;
  };
}

export interface HourlyMeansOutcome {
  day: string;
  sensors: number;
  readings: number;
  /** Sensor-measurement-hours that met the coverage rule, and those that did not. */
  hours: number;
  hoursExcluded: number;
  /** Rows the store changed (new or different) and removed. */
  written: number;
  removed: number;
}

export interface DailyChecksOutcome {
  day: string;
  sensors: number;
  calibrations: number;
  /** Calibrations outside EPA's targets (a property of the unit, not an anomaly). */
  outsideTargets: number;
  /** Baselines the day established. */
  baselines: number;
  opened: number;
  closed: number;
  /** Drift and neighbour anomalies open at the day's end. */
  open: number;
  published: number;
  /** The drift faults opened (an incident each) and closed (their incident told), for the workflow. */
  incidents: { open: SensorIncidentInput[]; recovered: { anomalyId: string; at: string }[] };
}

/** Sensors whose readings are read, averaged and stored at a time: a day of 200 is ~300,000 readings. */
const sensorsPerBatch = 200;
const messagesPerSend = 500;

export function createSensorRollupActivities({ sensorRollup, producer, sensorChecks }: SensorRollupDeps) {
  const { thresholds } = sensorChecks;

  return {
    async computeSensorHourlyMeans(input: { day: string }): Promise<HourlyMeansOutcome> {
      return failFastOnPermanent(async () => {
        const { from, to } = dayWindow(input.day);
        const sensorIds = await sensorRollup.sensorsHeard(from, to);
        const outcome: HourlyMeansOutcome = {
          day: input.day,
          sensors: sensorIds.length,
          readings: 0,
          hours: 0,
          hoursExcluded: 0,
          written: 0,
          removed: 0,
        };
        for (let i = 0; i < sensorIds.length; i += sensorsPerBatch) {
          const batch = sensorIds.slice(i, i + sensorsPerBatch);
          Context.current().heartbeat({ sensorsDone: i });
          const readings = await sensorRollup.loadReadings(batch, from, to);
          const { means, excluded } = hourlyMeans(readings, { intervalSeconds: thresholds.expectedIntervalSeconds });
          const stored = await sensorRollup.replaceHourlyMeans({ sensorIds: batch, from, to, means });
          outcome.readings += readings.length;
          outcome.hours += means.length;
          outcome.hoursExcluded += excluded.length;
          outcome.written += stored.written;
          outcome.removed += stored.removed;
        }
        return outcome;
      });
    },

    async runSensorDailyChecks(input: { day: string }): Promise<DailyChecksOutcome> {
      return failFastOnPermanent(async () => {
        const dayStart = dayStartMs(input.day);
        const dayEnd = new Date(dayStart + dayMs).toISOString();
        const longest = Math.max(thresholds.driftDays, ...calibrationWindowsDays);
        const from = new Date(dayStart + dayMs - longest * dayMs).toISOString();
        const sensors = await sensorRollup.activeSensors();
        const locationIds = [...new Set(sensors.flatMap((s) => (s.nearestLocationId ? [s.nearestLocationId] : [])))];
        const [means, references, open, baselines] = await Promise.all([
          sensorRollup.loadHourlyMeans(from, dayEnd),
          sensorRollup.loadReferenceHours(locationIds.sort(), from, dayEnd),
          sensorRollup.openAnomalies(new Date(dayStart).toISOString()),
          sensorRollup.baselinesBefore(input.day),
        ]);
        const result = dailyChecks({ day: input.day, sensors, means, references, open, baselines }, thresholds);
        await sensorRollup.storeDailyChecks({
          calibrations: result.calibrations,
          baselines: result.baselines,
          anomalies: result.anomalies,
        });
        for (let i = 0; i < result.events.length; i += messagesPerSend) {
          await producer.send({
            topic: topics.sensorsAnomalies,
            messages: result.events
              .slice(i, i + messagesPerSend)
              .map((e) => ({ key: e.anomaly.sensor_id, value: JSON.stringify(e.anomaly) })),
          });
        }
        const forIncidents = result.events.filter((e) => incidentAnomalyTypes.includes(e.anomaly.type));
        return {
          day: input.day,
          sensors: sensors.length,
          calibrations: result.calibrations.length,
          outsideTargets: result.calibrations.filter((c) => !c.verdict.withinTargets).length,
          baselines: result.baselines.length,
          opened: result.events.filter((e) => e.kind === 'anomaly_opened').length,
          closed: result.events.filter((e) => e.kind === 'anomaly_closed').length,
          open: result.open.length,
          published: result.events.length,
          incidents: {
            open: forIncidents.flatMap((e) =>
              e.kind === 'anomaly_opened' ? [incidentInput(e.anomaly, sensorChecks.incidentEscalateAfter)] : [],
            ),
            recovered: forIncidents.flatMap((e) =>
              e.kind === 'anomaly_closed' ? [{ anomalyId: e.anomaly.id, at: e.closedAt }] : [],
            ),
          },
        };
      });
    },
  };
}

export type SensorRollupActivities = ReturnType<typeof createSensorRollupActivities>;

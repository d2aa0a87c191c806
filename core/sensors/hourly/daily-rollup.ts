import type { SensorAnomaly } from '../anomaly';
import type { DetectorThresholds } from '../thresholds';

import type { CalibrationBaseline } from './baseline';
import { dailyChecks, type DailyCheckEvent, type DailyChecksResult, type RollupSensor } from './daily-checks';
import { hourlyMeans, type FlaggedReading, type HourlyMeans } from './hourly-means';
import type { ReferenceHour } from './reference';

/**
 * The whole daily batch over checked readings in memory, day after day: what `sensorDailyRollup` does over
 * the database, for the anomaly benchmark and tests. Steps:
 * 1. `hourlyMeans` of every sensor (clean readings only, 75 % coverage);
 * 2. for each day in order, `dailyChecks` with the anomalies the day before left open and the baselines
 *    the days before established.
 * Returns the means, each day's result, every event in order, each anomaly as it last stood, and the
 * baselines.
 */

export interface DailyRollupInput {
  /** Checked readings of every sensor, any order (a `ProcessedReading`, or the detector core's output). */
  readings: readonly FlaggedReading[];
  sensors: readonly RollupSensor[];
  /** The reference locations' hours, from 30 days before the first day to the end of the last. */
  references: readonly ReferenceHour[];
  thresholds: DetectorThresholds;
  /** The days to judge, oldest first; default every UTC day from the first reading's to the last's. */
  days?: readonly string[];
  /** Drift and neighbour anomalies open before the first day. */
  open?: readonly SensorAnomaly[];
  /** Baselines established before the first day. */
  baselines?: readonly CalibrationBaseline[];
  /** The coverage rule's share (default 0.75). */
  minCoverage?: number;
}

export interface DailyRollupResult extends HourlyMeans {
  days: DailyChecksResult[];
  events: DailyCheckEvent[];
  /** Every anomaly opened, grown or closed over the days, in its last state (`closedAt` once closed). */
  anomalies: { anomaly: SensorAnomaly; closedAt?: string }[];
  /** Every baseline, those given and those the days established. */
  baselines: CalibrationBaseline[];
}

const dayMs = 86_400_000;

export function runDailyRollup(input: DailyRollupInput): DailyRollupResult {
  const means = hourlyMeans(input.readings, {
    intervalSeconds: input.thresholds.expectedIntervalSeconds,
    ...(input.minCoverage === undefined ? {} : { minCoverage: input.minCoverage }),
  });
  const days = input.days ?? daysCovered(input.readings);
  const results: DailyChecksResult[] = [];
  const anomalies = new Map<string, { anomaly: SensorAnomaly; closedAt?: string }>();
  let open: readonly SensorAnomaly[] = input.open ?? [];
  const baselines: CalibrationBaseline[] = [...(input.baselines ?? [])];
  for (const day of days) {
    const result = dailyChecks(
      { day, sensors: input.sensors, means: means.means, references: input.references, open, baselines },
      input.thresholds,
    );
    results.push(result);
    for (const touched of result.anomalies) anomalies.set(touched.anomaly.id, touched);
    open = result.open;
    baselines.push(...result.baselines);
  }
  return {
    ...means,
    days: results,
    events: results.flatMap((r) => r.events),
    anomalies: [...anomalies.values()],
    baselines,
  };
}

/** Every UTC day from the earliest reading's to the latest's. */
export function daysCovered(readings: readonly Pick<FlaggedReading, 'timestamp'>[]): string[] {
  if (readings.length === 0) return [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const r of readings) {
    const ms = Date.parse(r.timestamp);
    if (ms < first) first = ms;
    if (ms > last) last = ms;
  }
  const days: string[] = [];
  for (let ms = first - (first % dayMs); ms <= last; ms += dayMs) days.push(new Date(ms).toISOString().slice(0, 10));
  return days;
}

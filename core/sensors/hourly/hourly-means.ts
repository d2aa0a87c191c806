import { formatObservedAt } from '../../air-quality/reading';
import type { QcFlag } from '../detector/outputs';
import { sensorMeasurementNames, type SensorMeasurementName } from '../reading';

/**
 * Hourly means of each sensor and measurement from its checked readings, the input of the hourly checks
 * (drift against the reference, disagreement with neighbours) and of the calibration fits.
 * - **Only clean readings**: a reading flagged by any check (`qc_flags` not empty, whatever the measurement
 *   the flag names) is left out of every mean of that hour. A flag on one channel often means a bad frame
 *   or a sensor in trouble (a sentinel in one field, a dropout before it), and a mean is better missing than
 *   biased by a fault the detector already reported.
 * - **Coverage rule**: an hour counts only when at least `minCoverage` (75 %) of its expected readings
 *   (3600 s / the sensors' interval: 60 at one a minute) remain after that; otherwise the hour is left out
 *   and listed in `excluded`. 75 % is the EU's validity rule for one-hour values of continuous monitors
 *   (Directive 2008/50/EC, Annex XI: "75 % (i.e. 45 minutes)"), so that a mean of a few minutes cannot
 *   stand for the hour.
 * Hours start on the UTC hour (`[hh:00, hh+1:00)`); a reading repeated at the same instant counts once.
 * Deterministic: any order of the same readings gives the same rows, sorted by sensor, measurement, hour.
 */

/** A checked reading as stored or published (`ProcessedReading` fits): its values and the checks that fired. */
export interface FlaggedReading {
  sensor_id: string;
  /** Event time, ISO 8601. */
  timestamp: string;
  measurements: Partial<Record<SensorMeasurementName, number | null>>;
  /** Names (`spike:pm2_5`, `dropout`) or flags as the detector core reports them: any one excludes the reading. */
  qc_flags: readonly (string | QcFlag)[];
}

/** One sensor's mean of one measurement over one hour. */
export interface SensorHourMean {
  sensorId: string;
  measurement: SensorMeasurementName;
  /** Start of the hour, ISO (`2024-03-01T10:00:00Z`). */
  hour: string;
  value: number;
  /** Clean readings averaged. */
  n: number;
  /** `n` over the readings expected in an hour, at most 1. */
  coverage: number;
}

export interface HourlyMeansOptions {
  /** The sensors' reporting interval (the detector's `expectedIntervalSeconds`). */
  intervalSeconds: number;
  /** Share of the expected readings an hour needs; default 0.75. */
  minCoverage?: number;
}

export interface HourlyMeans {
  means: SensorHourMean[];
  /** Hours with readings of a measurement that fell below the coverage rule (flagged readings or gaps). */
  excluded: Omit<SensorHourMean, 'value'>[];
}

export const defaultMinCoverage = 0.75;

const hourMs = 3_600_000;

export function hourlyMeans(readings: readonly FlaggedReading[], options: HourlyMeansOptions): HourlyMeans {
  const minCoverage = options.minCoverage ?? defaultMinCoverage;
  const expected = 3600 / options.intervalSeconds;
  const buckets = new Map<string, { sensorId: string; hourMs: number; readings: FlaggedReading[]; times: number[] }>();
  for (const reading of readings) {
    const ms = Date.parse(reading.timestamp);
    const start = ms - (((ms % hourMs) + hourMs) % hourMs);
    const key = `${reading.sensor_id}|${start}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { sensorId: reading.sensor_id, hourMs: start, readings: [], times: [] };
      buckets.set(key, bucket);
    }
    bucket.readings.push(reading);
    bucket.times.push(ms);
  }
  const means: SensorHourMean[] = [];
  const excluded: Omit<SensorHourMean, 'value'>[] = [];
  for (const bucket of buckets.values()) {
    // Time order (then flags, so that of two copies of one instant the clean one is kept): sums in one order.
    const order = bucket.readings
      .map((reading, i) => ({ reading, ms: bucket.times[i] as number }))
      .sort((a, b) => a.ms - b.ms || a.reading.qc_flags.length - b.reading.qc_flags.length);
    const hour = formatObservedAt(bucket.hourMs);
    for (const measurement of sensorMeasurementNames) {
      let sum = 0;
      let n = 0;
      let seen = false;
      let previousMs = Number.NaN;
      for (const { reading, ms } of order) {
        if (ms === previousMs) continue;
        previousMs = ms;
        const value = reading.measurements[measurement];
        if (value === undefined || value === null || !Number.isFinite(value)) continue;
        seen = true;
        if (reading.qc_flags.length > 0) continue;
        sum += value;
        n += 1;
      }
      if (!seen) continue;
      const row = { sensorId: bucket.sensorId, measurement, hour, n, coverage: Math.min(1, n / expected) };
      if (n > 0 && n >= minCoverage * expected - 1e-9) means.push({ ...row, value: sum / n });
      else excluded.push(row);
    }
  }
  const byKey = (a: Omit<SensorHourMean, 'value'>, b: Omit<SensorHourMean, 'value'>) =>
    compare(a.sensorId, b.sensorId) ||
    sensorMeasurementNames.indexOf(a.measurement) - sensorMeasurementNames.indexOf(b.measurement) ||
    compare(a.hour, b.hour);
  return { means: means.sort(byKey), excluded: excluded.sort(byKey) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

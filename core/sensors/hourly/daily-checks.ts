import type { SensorAnomaly } from '../anomaly';
import { referencePollutants, type ReferencePollutant } from '../simulator/reference';
import type { DetectorThresholds } from '../thresholds';

import { establishBaseline, type CalibrationBaseline } from './baseline';
import {
  calibrate,
  calibrationWindowsDays,
  robustCalibrate,
  type Calibration,
  type CalibrationFit,
} from './calibration';
import { toReferenceScale, underZeroOffset } from './calibration-change';
import { calibrationVerdict } from './calibration-verdict';
import { assessDrift } from './drift';
import type { HourlyFinding, HourlyMean } from './finding';
import { followHourlyFinding } from './follow-finding';
import { assessNeighbours, type SensorHourlyMean } from './neighbours';
import type { ReferenceHour } from './reference';

/**
 * The checks that need hourly means across sensors, run once a day by the rollup (the detector process
 * sees one partition, so one share of the sensors, at a time). For the day [00:00, 24:00) UTC:
 * 1. **Neighbours**, hour by hour: each sensor's mean against its neighbours' median (`assessNeighbours`),
 *    for the five pollutants, every mean first put on the reference's scale by its sensor's baseline
 *    calibration (`toReferenceScale`), or until it has one by its calibration over the last `driftDays`:
 *    a persistent offset or gain is calibration, not disagreement. A sensor whose drift is open is left out
 *    (the drift check's until it closes). The finding of each sensor and pollutant is followed across hours
 *    (`followHourlyFinding`, detection at the end of the hour judged).
 * 2. **Calibration**, at the day's end: each sensor's bias, slope and R² against its reference over the
 *    last 7 and 30 days (`calibrate`), with its verdict against EPA's targets (`calibrationVerdict`). Not an
 *    anomaly: stored and shown with the sensor.
 * 3. **Drift**, at the day's end: a change of the calibration (`assessDrift`: a ramp of offset or gain in
 *    the last two days, a shift from the baseline held most of the day, a bias trend over `driftDays`),
 *    followed from day to day.
 * 4. **Baselines**: a sensor and pollutant without one, and without an open drift, gets one when its last
 *    `baselineDays` are stable (`establishBaseline`); it applies from the next day.
 * A check that cannot judge (no mean that hour, fewer than 3 neighbours, too few paired hours, no reference)
 * leaves an open anomaly as it is: only a judged hour or day without the finding closes it. A drift closes
 * with hysteresis: only once the sensor is back within `driftCloseFactor` (half) of the drift limits, so a
 * sensor whose gain stopped growing but stays off does not close and reopen its incident.
 * Pure and deterministic: the same input gives the same calibrations, baselines, anomalies (ids from
 * `anomalyId`) and events, in the same order; every time in them is an event time derived from the day,
 * never a clock.
 */

export type HourlyAnomalyType = HourlyFinding['type'];
export const hourlyAnomalyTypes: readonly HourlyAnomalyType[] = ['drift', 'neighbour_disagreement'];

/** A sensor as the checks need it: where it is (neighbours) and its reference location (drift). */
export interface RollupSensor {
  id: string;
  latitude: number;
  longitude: number;
  nearestLocationId: string | null;
}

export interface DailyChecksInput {
  /** The UTC day judged, `YYYY-MM-DD`. */
  day: string;
  /** The sensors to judge (the active ones); means of any other sensor are ignored. */
  sensors: readonly RollupSensor[];
  /**
   * Hourly means (`hourlyMeans`) of the sensors: the day's for the neighbours, and the 30 days up to its end
   * for the fits; anything outside is ignored.
   */
  means: readonly { sensorId: string; measurement: string; hour: string; value: number }[];
  /** The reference locations' hours over the same 30 days. */
  references: readonly ReferenceHour[];
  /** The drift and neighbour anomalies still open when the day starts (the previous day's `open`). */
  open: readonly SensorAnomaly[];
  /** The baselines established before the day (any later one is ignored). */
  baselines?: readonly CalibrationBaseline[];
}

export type DailyCheckEvent =
  | { kind: 'anomaly_opened'; anomaly: SensorAnomaly }
  | { kind: 'anomaly_closed'; anomaly: SensorAnomaly; closedAt: string };

export interface DailyChecksResult {
  day: string;
  calibrations: Calibration[];
  /** Baselines the day established (sensors and pollutants that had none and were stable): what to store. */
  baselines: CalibrationBaseline[];
  /** Anomalies opened or closed during the day, in the order of their event times: what to publish. */
  events: DailyCheckEvent[];
  /** Every anomaly the day opened, grew or closed, as it stands at the day's end: what to store. */
  anomalies: { anomaly: SensorAnomaly; closedAt?: string }[];
  /** The drift and neighbour anomalies open at the day's end: the next day's `open`. */
  open: SensorAnomaly[];
  judged: { neighbourHours: number; driftSeries: number };
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** The coverage rule's share (hourly-means.ts): a stand-in calibration needs three quarters of a day's hours. */
const provisionalMinCoverage = 0.75;

export function dailyChecks(input: DailyChecksInput, thresholds: DetectorThresholds): DailyChecksResult {
  const dayStart = Date.parse(`${input.day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.day) || Number.isNaN(dayStart)) {
    throw new Error(`dailyChecks: day "${input.day}" is not YYYY-MM-DD`);
  }
  const dayEnd = dayStart + dayMs;
  const longestWindow = Math.max(thresholds.driftDays, ...calibrationWindowsDays) * dayMs;
  const sensors = [...input.sensors].sort((a, b) => compare(a.id, b.id));
  const known = new Set(sensors.map((s) => s.id));

  const series = new Map<string, HourlyMean[]>();
  for (const m of input.means) {
    const ms = Date.parse(m.hour);
    if (!known.has(m.sensorId) || ms < dayEnd - longestWindow || ms >= dayEnd) continue;
    if (!(referencePollutants as readonly string[]).includes(m.measurement)) continue;
    const key = seriesKey(m.sensorId, m.measurement);
    const list = series.get(key) ?? [];
    list.push({ hour: m.hour, value: m.value });
    series.set(key, list);
  }
  for (const list of series.values()) list.sort((a, b) => Date.parse(a.hour) - Date.parse(b.hour));
  const references = new Map<string, HourlyMean[]>();
  for (const r of input.references) {
    const ms = Date.parse(r.hour);
    if (ms < dayEnd - longestWindow || ms >= dayEnd) continue;
    for (const pollutant of referencePollutants) {
      const value = r.values[pollutant];
      if (value === undefined) continue;
      const key = seriesKey(r.locationId, pollutant);
      const list = references.get(key) ?? [];
      list.push({ hour: r.hour, value });
      references.set(key, list);
    }
  }

  const baselines = new Map<string, CalibrationBaseline>();
  for (const baseline of input.baselines ?? []) {
    if (baseline.establishedOn >= input.day || !known.has(baseline.sensorId)) continue;
    baselines.set(seriesKey(baseline.sensorId, baseline.measurement), baseline);
  }

  const followed = new FollowedAnomalies(input.open, thresholds.criticalScore);

  // Each sensor's scale for the neighbour check: its baseline; until it has one, its calibration over the
  // last `driftDays` (the day included, at least a day's hours at the coverage rule's share; robust, so the
  // hours of a fault barely move it), unless a drift or disagreement of it is open at the day's start (that
  // calibration would be the fault's).
  // Without either its raw values are used only in an hour where no sensor has a scale (the first day):
  // means on two scales are never compared. A mean under its scale's negative zero offset is not judged.
  const scales = new Map<string, Pick<CalibrationFit, 'slope' | 'intercept' | 'bias' | 'r2'>>();
  for (const sensor of sensors) {
    for (const measurement of referencePollutants) {
      const key = seriesKey(sensor.id, measurement);
      const baseline = baselines.get(key);
      if (baseline !== undefined) {
        scales.set(key, baseline);
        continue;
      }
      const own = series.get(key);
      const reference =
        sensor.nearestLocationId === null
          ? undefined
          : references.get(seriesKey(sensor.nearestLocationId, measurement));
      const disagreeing =
        followed.current(sensor.id, 'drift', measurement) ??
        followed.current(sensor.id, 'neighbour_disagreement', measurement);
      if (!own || !reference || disagreeing) continue;
      const fit = robustCalibrate(own, reference, {
        fromMs: dayEnd - thresholds.driftDays * dayMs,
        toMs: dayEnd,
        minPairs: Math.ceil(provisionalMinCoverage * 24),
        k: thresholds.neighbourK,
      });
      if (fit) scales.set(key, fit);
    }
  }

  const judged = { neighbourHours: 0, driftSeries: 0 };

  // A sensor whose drift is open at the day's start is the drift check's until it closes: off its own
  // calibration, it is neither judged by its neighbours nor one of theirs.
  const drifting = new Set(
    sensors.flatMap((sensor) =>
      referencePollutants.flatMap((m) => (followed.current(sensor.id, 'drift', m) ? [seriesKey(sensor.id, m)] : [])),
    ),
  );

  // 1. Neighbours, hour by hour.
  for (let hourStart = dayStart; hourStart < dayEnd; hourStart += hourMs) {
    const evaluatedAt = new Date(hourStart + hourMs).toISOString();
    for (const measurement of referencePollutants) {
      const raw: SensorHourlyMean[] = [];
      const scaled: SensorHourlyMean[] = [];
      for (const sensor of sensors) {
        const value = valueAt(series.get(seriesKey(sensor.id, measurement)), hourStart);
        if (value === undefined || drifting.has(seriesKey(sensor.id, measurement))) continue;
        const location = { lat: sensor.latitude, lon: sensor.longitude };
        raw.push({ sensorId: sensor.id, location, value });
        const scale = scales.get(seriesKey(sensor.id, measurement));
        if (scale && !underZeroOffset(value, scale, thresholds)) {
          scaled.push({ sensorId: sensor.id, location, value: toReferenceScale(value, scale, thresholds) });
        }
      }
      const means = scaled.length > 0 ? scaled : raw;
      if (means.length === 0) continue;
      const hour = new Date(hourStart).toISOString();
      for (const assessment of assessNeighbours({ hour, measurement, means }, thresholds)) {
        if (!assessment.judged) continue;
        judged.neighbourHours += 1;
        followed.follow(assessment.sensorId, 'neighbour_disagreement', measurement, assessment.finding, evaluatedAt);
      }
    }
  }

  // 2. Calibration, 3. drift and 4. baselines, at the day's end.
  const calibrations: Calibration[] = [];
  const established: CalibrationBaseline[] = [];
  const evaluatedAt = new Date(dayEnd).toISOString();
  for (const sensor of sensors) {
    if (sensor.nearestLocationId === null) continue;
    for (const measurement of referencePollutants) {
      const own = series.get(seriesKey(sensor.id, measurement));
      const reference = references.get(seriesKey(sensor.nearestLocationId, measurement));
      if (!own || !reference) continue;
      for (const windowDays of calibrationWindowsDays) {
        const fit = calibrate(own, reference, {
          fromMs: dayEnd - windowDays * dayMs,
          toMs: dayEnd,
          minPairs: thresholds.driftMinPairs,
        });
        if (!fit) continue;
        calibrations.push({
          sensorId: sensor.id,
          measurement,
          windowDays,
          asOf: input.day,
          referenceLocationId: sensor.nearestLocationId,
          ...fit,
          verdict: calibrationVerdict(fit, measurement, thresholds),
        });
      }
      const baseline = baselines.get(seriesKey(sensor.id, measurement));
      const driftInput = {
        sensorId: sensor.id,
        measurement,
        sensor: own,
        reference,
        dayEndMs: dayEnd,
        ...(baseline === undefined ? {} : { baseline }),
      };
      const assessment = assessDrift(driftInput, thresholds);
      if (assessment.judged) {
        judged.driftSeries += 1;
        const open = followed.current(sensor.id, 'drift', measurement);
        let finding = assessment.finding;
        if (!finding && open) {
          // Hysteresis: an open drift stays open while the sensor is still beyond a share of the limits.
          const held = assessDrift(driftInput, closingThresholds(thresholds, measurement)).finding;
          if (held) {
            finding = {
              ...held,
              score: open.score,
              evidence: { ...held.evidence, held_open: `within ${thresholds.driftCloseFactor} of the drift limits` },
            };
          }
        }
        followed.follow(sensor.id, 'drift', measurement, finding, evaluatedAt);
        // A drift takes over from a disagreement of the same sensor and pollutant: the neighbour check leaves
        // a drifting sensor alone, so its open disagreement is closed here rather than left open.
        if (followed.current(sensor.id, 'drift', measurement)) {
          followed.closeIfOpen(sensor.id, 'neighbour_disagreement', measurement, evaluatedAt);
        }
      }
      if (baseline === undefined && followed.current(sensor.id, 'drift', measurement) === undefined) {
        const candidate = establishBaseline(
          {
            sensorId: sensor.id,
            measurement,
            day: input.day,
            referenceLocationId: sensor.nearestLocationId,
            sensor: own,
            reference,
            dayEndMs: dayEnd,
          },
          thresholds,
        );
        if (candidate) established.push(candidate);
      }
    }
  }

  return { day: input.day, calibrations, baselines: established, ...followed.result(), judged };
}

/** The open anomaly of each sensor, check and pollutant, followed through the day. */
class FollowedAnomalies {
  private readonly open = new Map<string, SensorAnomaly>();
  private readonly touched = new Map<string, { anomaly: SensorAnomaly; closedAt?: string }>();
  private readonly events: DailyCheckEvent[] = [];

  constructor(
    open: readonly SensorAnomaly[],
    private readonly criticalScore: number,
  ) {
    // Oldest first, so that of two open anomalies of one key (which the rollup never leaves) the newest stays.
    const sorted = [...open].sort((a, b) => compare(a.window.start, b.window.start) || compare(a.id, b.id));
    for (const anomaly of sorted) {
      if (!(hourlyAnomalyTypes as readonly string[]).includes(anomaly.type)) continue;
      this.open.set(anomalyKey(anomaly.sensor_id, anomaly.type, anomaly.measurement), anomaly);
    }
  }

  current(sensorId: string, type: HourlyAnomalyType, measurement: ReferencePollutant): SensorAnomaly | undefined {
    return this.open.get(anomalyKey(sensorId, type, measurement));
  }

  follow(
    sensorId: string,
    type: HourlyAnomalyType,
    measurement: ReferencePollutant,
    finding: HourlyFinding | undefined,
    evaluatedAt: string,
  ): void {
    const key = anomalyKey(sensorId, type, measurement);
    const step = followHourlyFinding(this.open.get(key), finding, evaluatedAt, this.criticalScore);
    if (step.opened) this.events.push({ kind: 'anomaly_opened', anomaly: step.opened });
    if (step.closed) {
      this.events.push({ kind: 'anomaly_closed', ...step.closed });
      this.touched.set(step.closed.anomaly.id, step.closed);
      this.open.delete(key);
    }
    if (step.open) {
      this.open.set(key, step.open);
      this.touched.set(step.open.id, { anomaly: step.open });
    }
  }

  closeIfOpen(sensorId: string, type: HourlyAnomalyType, measurement: ReferencePollutant, at: string): void {
    if (this.current(sensorId, type, measurement)) this.follow(sensorId, type, measurement, undefined, at);
  }

  result(): Pick<DailyChecksResult, 'events' | 'anomalies' | 'open'> {
    const byAnomaly = (a: SensorAnomaly, b: SensorAnomaly) =>
      compare(a.sensor_id, b.sensor_id) ||
      compare(a.type, b.type) ||
      compare(a.measurement ?? '', b.measurement ?? '') ||
      compare(a.window.start, b.window.start);
    return {
      events: this.events,
      anomalies: [...this.touched.values()].sort((a, b) => byAnomaly(a.anomaly, b.anomaly)),
      open: [...this.open.values()].sort(byAnomaly),
    };
  }
}

/** The drift limits an open drift must fall back within to close: `driftCloseFactor` of each. */
function closingThresholds(thresholds: DetectorThresholds, measurement: ReferencePollutant): DetectorThresholds {
  const f = thresholds.driftCloseFactor;
  const limits = thresholds.measurements[measurement];
  return {
    ...thresholds,
    biasRelative: thresholds.biasRelative * f,
    slopeMin: 1 - (1 - thresholds.slopeMin) * f,
    slopeMax: 1 + (thresholds.slopeMax - 1) * f,
    measurements: {
      ...thresholds.measurements,
      [measurement]: { ...limits, driftPerDay: limits.driftPerDay * f, biasLimit: limits.biasLimit * f },
    },
  };
}

function valueAt(list: readonly HourlyMean[] | undefined, hourStart: number): number | undefined {
  if (!list) return undefined;
  // The day's hours are the list's last 24 at most: search from the end.
  for (let i = list.length - 1; i >= 0; i--) {
    const ms = Date.parse((list[i] as HourlyMean).hour);
    if (ms === hourStart) return (list[i] as HourlyMean).value;
    if (ms < hourStart) return undefined;
  }
  return undefined;
}

const seriesKey = (owner: string, measurement: string) => `${owner}|${measurement}`;
const anomalyKey = (sensorId: string, type: string, measurement: string | undefined) =>
  `${sensorId}|${type}|${measurement ?? ''}`;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

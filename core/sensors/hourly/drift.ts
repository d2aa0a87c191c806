import type { SensorMeasurementName } from '../reading';
import type { DetectorThresholds } from '../thresholds';

import type { HourlyFinding, HourlyMean } from './finding';
import { fitLine, residualSumOfSquares, type LineFit } from './least-squares';

/**
 * Slow drift and bias against the reference: a sensor's hourly means against the reference's (the
 * Open-Meteo reading of its nearest location) over the last `driftDays` days, paired by hour. Three rules,
 * any of which makes a `drift` finding:
 * - **trend**: the bias (sensor − reference) has a least-squares trend steeper than `driftPerDay` that
 *   explains at least `driftTrendMinR2` of the bias variance and leads away from the reference (the fitted
 *   bias ends farther from 0 than it starts): the sensor is walking away, not wandering, and a sensor
 *   coming back after a recalibration (its drifted days leaving the window) is not drifting;
 * - **bias**: the mean bias is beyond ± max(`biasLimit`, `biasRelative` × reference mean) (EPA's
 *   intercept and slope bands, EPA sensortoolkit);
 * - **slope**: the sensor-vs-reference fit explains at least `slopeMinR2` and its slope is outside
 *   [`slopeMin`, `slopeMax`] (EPA's PM2.5 targets 0.65–1.35 with R² ≥ 0.70).
 * The finding starts where the drift did: for the trend rule, the hinge of the best "flat, then straight"
 * fit of the bias (found by trying every hour), so a drift that began mid-window starts there, not at the
 * window's edge; for the other rules, the first hour of the window. Needs `driftMinPairs` hours.
 */
export interface DriftAssessment {
  /** Hours with both a sensor and a reference mean in the window. */
  pairs: number;
  /** False when there were too few pairs to judge; the numbers below are then absent. */
  judged: boolean;
  bias?: number;
  referenceMean?: number;
  biasLimit?: number;
  trendPerDay?: number;
  trendR2?: number;
  fit?: LineFit;
  finding?: HourlyFinding;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

export function assessDrift(
  input: {
    sensorId: string;
    measurement: SensorMeasurementName;
    sensor: readonly HourlyMean[];
    reference: readonly HourlyMean[];
  },
  thresholds: DetectorThresholds,
): DriftAssessment {
  const limits = thresholds.measurements[input.measurement];
  const pairs = pairByHour(input.sensor, input.reference, thresholds.driftDays * dayMs);
  if (pairs.length < thresholds.driftMinPairs) return { pairs: pairs.length, judged: false };

  const days = pairs.map((p) => (p.ms - (pairs[0] as Pair).ms) / dayMs);
  const biases = pairs.map((p) => p.sensor - p.reference);
  const bias = mean(biases);
  const referenceMean = mean(pairs.map((p) => p.reference));
  const biasLimit = Math.max(limits.biasLimit, thresholds.biasRelative * Math.abs(referenceMean));
  const trend = fitLine(days, biases);
  const fit = fitLine(
    pairs.map((p) => p.reference),
    pairs.map((p) => p.sensor),
  );
  const trendPerDay = trend?.slope ?? 0;
  const trendR2 = trend?.r2 ?? 0;

  const rules: { rule: 'trend' | 'bias' | 'slope'; ratio: number }[] = [];
  const span = days[days.length - 1] as number;
  const awayFromReference =
    trend !== undefined && Math.abs(trend.intercept + trend.slope * span) > Math.abs(trend.intercept);
  if (Math.abs(trendPerDay) > limits.driftPerDay && trendR2 >= thresholds.driftTrendMinR2 && awayFromReference) {
    rules.push({ rule: 'trend', ratio: Math.abs(trendPerDay) / limits.driftPerDay });
  }
  if (Math.abs(bias) > biasLimit) rules.push({ rule: 'bias', ratio: Math.abs(bias) / biasLimit });
  if (fit !== undefined && fit.r2 >= thresholds.slopeMinR2) {
    if (fit.slope > thresholds.slopeMax) rules.push({ rule: 'slope', ratio: fit.slope / thresholds.slopeMax });
    else if (fit.slope < thresholds.slopeMin) {
      rules.push({ rule: 'slope', ratio: fit.slope <= 0 ? Number.MAX_VALUE : thresholds.slopeMin / fit.slope });
    }
  }
  const assessment: DriftAssessment = { pairs: pairs.length, judged: true, bias, referenceMean, biasLimit };
  assessment.trendPerDay = trendPerDay;
  assessment.trendR2 = trendR2;
  if (fit !== undefined) assessment.fit = fit;
  if (rules.length === 0) return assessment;

  const startIndex = rules.some((r) => r.rule === 'trend') ? hingeIndex(days, biases) : 0;
  assessment.finding = {
    sensorId: input.sensorId,
    type: 'drift',
    measurement: input.measurement,
    start: new Date((pairs[startIndex] as Pair).ms).toISOString(),
    end: new Date((pairs[pairs.length - 1] as Pair).ms).toISOString(),
    score: Math.min(Math.max(...rules.map((r) => r.ratio)), 1e6),
    evidence: {
      rules: rules.map((r) => r.rule),
      hours: pairs.length,
      bias,
      bias_limit: biasLimit,
      reference_mean: referenceMean,
      trend_per_day: trendPerDay,
      trend_r2: trendR2,
      ...(fit === undefined ? {} : { slope: fit.slope, intercept: fit.intercept, r2: fit.r2 }),
    },
  };
  return assessment;
}

interface Pair {
  ms: number;
  sensor: number;
  reference: number;
}

/** Hours present in both series, oldest first, within `spanMs` of the newest. */
function pairByHour(sensor: readonly HourlyMean[], reference: readonly HourlyMean[], spanMs: number): Pair[] {
  const referenceByHour = new Map(reference.map((r) => [Date.parse(r.hour), r.value]));
  const pairs = sensor.flatMap((s) => {
    const ms = Date.parse(s.hour);
    const value = referenceByHour.get(ms);
    return value === undefined ? [] : [{ ms, sensor: s.value, reference: value }];
  });
  pairs.sort((a, b) => a.ms - b.ms);
  const newest = pairs[pairs.length - 1]?.ms ?? 0;
  return pairs.filter((p) => p.ms > newest - spanMs);
}

/**
 * Where a "flat, then straight" line fits the bias best: the hinge hour minimising the residuals of
 * bias = a + b·max(0, t − hinge). Hinges leave a quarter of the window after them (at least 3 hours), so a
 * few noisy last hours cannot pass for a drift's start. Earliest on ties.
 */
function hingeIndex(days: readonly number[], biases: readonly number[]): number {
  const lastCandidate = days.length - Math.max(3, Math.floor(days.length / 4));
  let best = 0;
  let bestResiduals = Number.POSITIVE_INFINITY;
  for (let h = 0; h <= lastCandidate; h++) {
    const hinge = days[h] as number;
    const residuals = residualSumOfSquares(
      days.map((d) => Math.max(0, d - hinge)),
      biases,
    );
    if (residuals < bestResiduals) {
      bestResiduals = residuals;
      best = h;
    }
  }
  return best;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

import { madToSd, median, medianAbsoluteDeviation } from '../checks/robust';
import type { ReferencePollutant } from '../simulator/reference';

import type { CalibrationVerdict } from './calibration-verdict';
import type { HourlyMean } from './finding';
import { fitLine } from './least-squares';

/**
 * A sensor's calibration against its reference over the last 7 or 30 days, as the daily rollup stores it:
 * the mean bias (sensor − reference) and the ordinary least-squares line sensor = intercept + slope ×
 * reference with its R², over the hours both have a mean, and its verdict against EPA's targets
 * (`calibrationVerdict`). A property of the unit, shown with the sensor; a change of it is drift
 * (`assessDrift`, against the sensor's baseline, `establishBaseline`).
 */

export const calibrationWindowsDays = [7, 30] as const;
export type CalibrationWindowDays = (typeof calibrationWindowsDays)[number];

export interface CalibrationFit {
  /** Mean of sensor − reference, in the measurement's unit. */
  bias: number;
  slope: number;
  intercept: number;
  r2: number;
  /** Hours paired. */
  n: number;
  referenceMean: number;
}

export interface Calibration extends CalibrationFit {
  sensorId: string;
  measurement: ReferencePollutant;
  windowDays: CalibrationWindowDays;
  /** The last day of the window (`YYYY-MM-DD`): the window is the `windowDays` days ending with it. */
  asOf: string;
  referenceLocationId: string;
  verdict: CalibrationVerdict;
}

/**
 * The fit over the hours in [fromMs, toMs) present in both series, or undefined with fewer than `minPairs`
 * of them or a reference that does not vary (no line to fit).
 */
export function calibrate(
  sensor: readonly HourlyMean[],
  reference: readonly HourlyMean[],
  window: { fromMs: number; toMs: number; minPairs: number },
): CalibrationFit | undefined {
  const referenceByHour = new Map(reference.map((r) => [Date.parse(r.hour), r.value]));
  const pairs: { ms: number; sensor: number; reference: number }[] = [];
  for (const s of sensor) {
    const ms = Date.parse(s.hour);
    if (ms < window.fromMs || ms >= window.toMs) continue;
    const value = referenceByHour.get(ms);
    if (value !== undefined) pairs.push({ ms, sensor: s.value, reference: value });
  }
  if (pairs.length < window.minPairs) return undefined;
  pairs.sort((a, b) => a.ms - b.ms);
  const fit = fitLine(
    pairs.map((p) => p.reference),
    pairs.map((p) => p.sensor),
  );
  if (fit === undefined) return undefined;
  const n = pairs.length;
  return {
    bias: pairs.reduce((sum, p) => sum + (p.sensor - p.reference), 0) / n,
    slope: fit.slope,
    intercept: fit.intercept,
    r2: fit.r2,
    n,
    referenceMean: pairs.reduce((sum, p) => sum + p.reference, 0) / n,
  };
}

/**
 * `calibrate`, then once more without the hours whose residual from the first line is beyond
 * `k`·1.4826·MAD of the residuals (one pass of a Hampel filter over the residuals): a few hours of a fault
 * (a step, a plume) in the window then barely move the line. For a stand-in calibration, not the stored ones.
 */
export function robustCalibrate(
  sensor: readonly HourlyMean[],
  reference: readonly HourlyMean[],
  window: { fromMs: number; toMs: number; minPairs: number; k: number },
): CalibrationFit | undefined {
  const first = calibrate(sensor, reference, window);
  if (first === undefined) return undefined;
  const referenceByHour = new Map(reference.map((r) => [Date.parse(r.hour), r.value]));
  const inWindow = sensor.filter((s) => {
    const ms = Date.parse(s.hour);
    return ms >= window.fromMs && ms < window.toMs && referenceByHour.has(ms);
  });
  const residuals = inWindow.map(
    (s) => s.value - first.intercept - first.slope * (referenceByHour.get(Date.parse(s.hour)) as number),
  );
  const center = median(residuals);
  const limit = window.k * madToSd * medianAbsoluteDeviation(residuals, center);
  const kept = inWindow.filter((_, i) => Math.abs((residuals[i] as number) - center) <= limit);
  if (kept.length === inWindow.length) return first;
  return calibrate(kept, reference, window) ?? first;
}

import type { SensorMeasurementName } from '../reading';
import type { DetectorThresholds } from '../thresholds';

import type { CalibrationFit } from './calibration';

/**
 * A calibration judged against EPA's performance targets for sensors (EPA sensortoolkit): slope within
 * [`slopeMin`, `slopeMax`], intercept within ± the measurement's `biasLimit`, R² at least `slopeMinR2`.
 * What a person acts on by recalibrating the unit (or applying a correction), not an anomaly: a sensor
 * outside the targets every day is miscalibrated, and stays so until someone corrects it.
 */
export type CalibrationTarget = 'slope' | 'intercept' | 'r2';

export interface CalibrationVerdict {
  withinTargets: boolean;
  /** The targets it misses, in this order: slope, intercept, r2. */
  outside: CalibrationTarget[];
}

export function calibrationVerdict(
  fit: Pick<CalibrationFit, 'slope' | 'intercept' | 'r2'>,
  measurement: SensorMeasurementName,
  thresholds: DetectorThresholds,
): CalibrationVerdict {
  const outside: CalibrationTarget[] = [];
  if (fit.slope < thresholds.slopeMin || fit.slope > thresholds.slopeMax) outside.push('slope');
  if (Math.abs(fit.intercept) > thresholds.measurements[measurement].biasLimit) outside.push('intercept');
  if (fit.r2 < thresholds.slopeMinR2) outside.push('r2');
  return { withinTargets: outside.length === 0, outside };
}

import { median } from '../checks/robust';
import type { ReferencePollutant } from '../simulator/reference';
import type { DetectorThresholds } from '../thresholds';

import { calibrate, type CalibrationFit } from './calibration';
import { changeEpisodes, gainBands, offsetBand, pairByHour, toReferenceScale } from './calibration-change';
import type { HourlyMean } from './finding';

/**
 * A sensor's baseline calibration for one pollutant: its line against the reference over the first
 * `baselineDays` days in which it was stable, kept from then on. What the sensor reads off the reference
 * there is calibration (a property of the unit, judged against EPA's targets, not an anomaly); a change
 * from it is drift; and its neighbours are compared with it taken out (`toReferenceScale`).
 * Stable means: at least `driftMinPairs` paired hours in the window (two days: a new sensor can have its
 * baseline after its first two whole days), no change episode in them (`changeEpisodes`: no
 * ramp or step of the sensor against the reference beyond the drift bands), and no day of the window whose
 * median residual from the window's line exceeds `driftCloseFactor` of the bands. A window with a fault in
 * it is refused and the next day's tried instead, so a drift in a sensor's first days does not become its
 * baseline.
 */
export interface CalibrationBaseline extends CalibrationFit {
  sensorId: string;
  measurement: ReferencePollutant;
  /** The last day of the window it was fitted on (`YYYY-MM-DD`); it applies from the next day. */
  establishedOn: string;
  windowDays: number;
  referenceLocationId: string;
}

const dayMs = 86_400_000;

/**
 * The baseline the day ending at `dayEndMs` establishes, if the last `baselineDays` days are stable; the
 * caller asks only for sensors without one.
 */
export function establishBaseline(
  input: {
    sensorId: string;
    measurement: ReferencePollutant;
    day: string;
    referenceLocationId: string;
    sensor: readonly HourlyMean[];
    reference: readonly HourlyMean[];
    dayEndMs: number;
  },
  thresholds: DetectorThresholds,
): CalibrationBaseline | undefined {
  const fromMs = input.dayEndMs - thresholds.baselineDays * dayMs;
  const fit = calibrate(input.sensor, input.reference, {
    fromMs,
    toMs: input.dayEndMs,
    minPairs: thresholds.driftMinPairs,
  });
  if (fit === undefined) return undefined;
  const pairs = pairByHour(input.sensor, input.reference).filter((p) => p.ms >= fromMs && p.ms < input.dayEndMs);
  if (changeEpisodes(pairs, input.measurement, thresholds).some((f) => f.significant)) return undefined;
  const band = offsetBand(input.measurement, fit.referenceMean, thresholds) * thresholds.driftCloseFactor;
  const gainBand = Math.min(...gainBands(thresholds).map(Math.abs)) * thresholds.driftCloseFactor;
  for (let day = fromMs; day < input.dayEndMs; day += dayMs) {
    const own = pairs.filter((p) => p.ms >= day && p.ms < day + dayMs);
    if (own.length === 0) continue;
    const offsets = own.map((p) => toReferenceScale(p.sensor, fit, thresholds) - p.reference);
    const gains = own
      .filter((p) => p.reference > 0)
      .map((p) => toReferenceScale(p.sensor, fit, thresholds) / p.reference - 1);
    if (Math.abs(median(offsets)) > band) return undefined;
    if (gains.length > 0 && Math.abs(median(gains)) > gainBand) return undefined;
  }
  return {
    sensorId: input.sensorId,
    measurement: input.measurement,
    establishedOn: input.day,
    windowDays: thresholds.baselineDays,
    referenceLocationId: input.referenceLocationId,
    ...fit,
  };
}

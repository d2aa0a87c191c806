import type { SensorMeasurementName } from '../reading';
import type { DetectorThresholds } from '../thresholds';

import type { CalibrationFit } from './calibration';
import { bestEpisode, lineRss, type Episode, type EpisodeKind } from './change-episode';
import type { HourlyMean } from './finding';

/**
 * What the drift check and the baseline share: hourly pairs, the drift bands, a value on the reference's
 * scale, and the change episodes of a window (`changeEpisodes`).
 *
 * Bands: an **offset** (zero) change is material beyond max(`biasLimit`, `biasRelative` × the reference
 * mean), EPA's intercept band widened to the slope band's share at high levels; a **gain** (span) change
 * beyond the slope band, `slopeMin` − 1 below and `slopeMax` − 1 above (EPA sensortoolkit: 0.65–1.35, so
 * −35 % / +35 %). The two are the drifts an analyzer's zero and span checks look for.
 */

export interface Pair {
  ms: number;
  sensor: number;
  reference: number;
}

const dayMs = 86_400_000;

/** Hours present in both series, oldest first. */
export function pairByHour(sensor: readonly HourlyMean[], reference: readonly HourlyMean[]): Pair[] {
  const referenceByHour = new Map(reference.map((r) => [Date.parse(r.hour), r.value]));
  const pairs = sensor.flatMap((s) => {
    const ms = Date.parse(s.hour);
    const value = referenceByHour.get(ms);
    return value === undefined ? [] : [{ ms, sensor: s.value, reference: value }];
  });
  return pairs.sort((a, b) => a.ms - b.ms);
}

export function offsetBand(
  measurement: SensorMeasurementName,
  referenceMean: number,
  thresholds: DetectorThresholds,
): number {
  return Math.max(thresholds.measurements[measurement].biasLimit, thresholds.biasRelative * Math.abs(referenceMean));
}

/** The relative gain changes that are material: [below (negative), above (positive)]. */
export function gainBands(thresholds: Pick<DetectorThresholds, 'slopeMin' | 'slopeMax'>): [number, number] {
  return [thresholds.slopeMin - 1, thresholds.slopeMax - 1];
}

/** A sensor value on the reference's scale by a calibration: the inverse of its line, or its bias taken off. */
export function toReferenceScale(
  value: number,
  calibration: Pick<CalibrationFit, 'slope' | 'intercept' | 'bias' | 'r2'>,
  thresholds: Pick<DetectorThresholds, 'slopeMinR2'>,
): number {
  // A line that explains too little (R² below EPA's linearity target) says nothing of the gain: offset only.
  if (calibration.r2 >= thresholds.slopeMinR2 && calibration.slope > 0) {
    return (value - calibration.intercept) / calibration.slope;
  }
  return value - calibration.bias;
}

/**
 * Whether a raw value is at or under its calibration's negative zero offset: there the sensor's output
 * would be below 0, and what it reports (0, or the magnitude of a negative reading, as some firmware does)
 * is not on its line, so it cannot be put on the reference's scale.
 */
export function underZeroOffset(
  value: number,
  calibration: Pick<CalibrationFit, 'slope' | 'intercept' | 'bias' | 'r2'>,
  thresholds: Pick<DetectorThresholds, 'slopeMinR2'>,
): boolean {
  const usesLine = calibration.r2 >= thresholds.slopeMinR2 && calibration.slope > 0;
  const offset = usesLine ? calibration.intercept : calibration.bias;
  return offset < 0 && value <= -offset;
}

export interface FoundEpisode {
  episode: Episode;
  /** Share of the residual variance of the sensor's line alone that the episode explains. */
  explained: number;
  /** The fitted change over its band (> 1: material). */
  ratio: number;
  /**
   * A ramp whose residual sum of squares is at most `driftGradualness` of the best step's of its kind: a
   * gradual change (drift), not a sudden one (the stream's step check's).
   */
  gradual: boolean;
  /** Explains at least `driftTrendMinR2` and is material (ratio > 1). */
  significant: boolean;
}

/**
 * The change episodes of a window of pairs, for each kind (offset, gain): the best ramp and the best step
 * (`bestEpisode`), each with how much it explains of what the sensor's line alone leaves, its fitted change
 * over the band, and whether the ramp is gradual. Ramps last at least `driftRampMinHours` (steps 1 hour)
 * and leave as many hours outside them for the sensor's line.
 */
export function changeEpisodes(
  pairs: readonly Pair[],
  measurement: SensorMeasurementName,
  thresholds: DetectorThresholds,
): FoundEpisode[] {
  const minOutside = thresholds.driftRampMinHours;
  if (pairs.length < thresholds.driftRampMinHours + minOutside) return [];
  const first = (pairs[0] as Pair).ms;
  const points = pairs.map((p) => ({ t: (p.ms - first) / dayMs, reference: p.reference, sensor: p.sensor }));
  const alone = lineRss(points);
  if (alone === undefined || alone === 0) return [];
  const referenceMean = pairs.reduce((sum, p) => sum + p.reference, 0) / pairs.length;
  const band = offsetBand(measurement, referenceMean, thresholds);
  const found: FoundEpisode[] = [];
  for (const kind of ['offset', 'gain'] as EpisodeKind[]) {
    const ramp = bestEpisode(points, kind, 'ramp', { minHours: thresholds.driftRampMinHours, minOutside });
    const step = bestEpisode(points, kind, 'step', { minHours: 1, minOutside });
    for (const episode of [ramp, step]) {
      if (episode === undefined) continue;
      const explained = 1 - episode.rss / alone;
      const ratio = changeRatio(kind, episode.change, band, thresholds);
      const gradual =
        episode.shape === 'ramp' && (step === undefined || episode.rss <= thresholds.driftGradualness * step.rss);
      found.push({
        episode,
        explained,
        ratio,
        gradual,
        significant: explained >= thresholds.driftTrendMinR2 && ratio > 1,
      });
    }
  }
  return found;
}

/** A change over its band: an offset against `band`, a relative gain change against the gain band on its side. */
export function changeRatio(
  kind: EpisodeKind,
  change: number,
  band: number,
  thresholds: Pick<DetectorThresholds, 'slopeMin' | 'slopeMax'>,
): number {
  const [below, above] = gainBands(thresholds);
  if (kind === 'offset') return Math.abs(change) / band;
  return change >= 0 ? change / above : change / below;
}

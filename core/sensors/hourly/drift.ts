import { madToSd, median, medianAbsoluteDeviation } from '../checks/robust';
import type { SensorMeasurementName } from '../reading';
import type { DetectorThresholds } from '../thresholds';

import type { CalibrationFit } from './calibration';
import {
  changeEpisodes,
  changeRatio,
  gainBands,
  offsetBand,
  pairByHour,
  toReferenceScale,
  type Pair,
} from './calibration-change';
import type { Episode } from './change-episode';
import type { HourlyFinding, HourlyMean } from './finding';
import { fitLine, residualSumOfSquares } from './least-squares';

/**
 * Drift: a **change** of a sensor's calibration against its reference (the Open-Meteo reading of its
 * nearest location), judged at the end of a day. Not the calibration itself: a sensor that reads 50 % high
 * every day is miscalibrated (its calibration says so, against EPA's targets), not drifting. Three rules,
 * any of which makes a `drift` finding:
 * - **ramp** (the last `driftRampHours`): the sensor's offset (zero drift) or gain (span drift) changes
 *   steadily for a while (`changeEpisodes`: a ramp against the sensor's own line fitted around it), the
 *   ramp fits better than any sudden step (a step is the stream's step check's business), explains at least
 *   `driftTrendMinR2` of what the line leaves, reaches beyond the drift band, and lasts into the day judged.
 *   Needs no earlier calibration, so a sensor drifting in its first days is found too.
 * - **shift** (the day judged, needs a baseline): on the reference's scale by its baseline calibration
 *   (`toReferenceScale`), at least `driftSustainedShare` of the day's hours are beyond the offset band on one
 *   side, or beyond the gain band: the calibration moved away from the baseline and stayed there, however
 *   slowly it got there.
 * - **trend** (the last `driftDays`): the bias (from the baseline's scale, or raw without one) has a
 *   least-squares trend steeper than `driftPerDay` that explains at least `driftTrendMinR2` of its variance
 *   and leads away from 0 (a sensor coming back after a recalibration is not drifting).
 * The finding spans the ramp, the day's hours beyond the band, or the trend from its hinge (the best "flat,
 * then straight" fit); its score is the largest ratio to a limit.
 */
export interface DriftInput {
  sensorId: string;
  measurement: SensorMeasurementName;
  /** Hourly means up to the end of the day judged; those older than `driftDays` are ignored. */
  sensor: readonly HourlyMean[];
  reference: readonly HourlyMean[];
  /** End of the day judged (epoch ms); default the end of the newest paired hour. */
  dayEndMs?: number;
  /** The sensor's baseline calibration, when it has one (`establishBaseline`). */
  baseline?: Pick<CalibrationFit, 'slope' | 'intercept' | 'bias' | 'r2'>;
}

export type DriftRule = 'ramp' | 'shift' | 'trend';

export interface DriftAssessment {
  /** Hours with both a sensor and a reference mean in the trend window. */
  pairs: number;
  /** False when no rule had enough hours to judge; the numbers below are then absent. */
  judged: boolean;
  trendPerDay?: number;
  trendR2?: number;
  finding?: HourlyFinding;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** The coverage rule's share (hourly-means.ts): a window judged needs three quarters of its hours. */
const minCoverage = 0.75;
/** A ramp's reach from the baseline is read off its last 3 hours (a median a single hour cannot move). */
const rampEndHours = 3;

interface RuleHit {
  rule: DriftRule;
  ratio: number;
  startMs: number;
  endMs: number;
  evidence: Record<string, unknown>;
}

export function assessDrift(input: DriftInput, thresholds: DetectorThresholds): DriftAssessment {
  const all = pairByHour(input.sensor, input.reference);
  const dayEndMs = input.dayEndMs ?? (all[all.length - 1]?.ms ?? 0) + hourMs;
  const within = (fromMs: number) => all.filter((p) => p.ms >= fromMs && p.ms < dayEndMs);
  const trendPairs = within(dayEndMs - thresholds.driftDays * dayMs);
  const rampPairs = within(dayEndMs - thresholds.driftRampHours * hourMs);
  const dayPairs = within(dayEndMs - dayMs);

  const hits: RuleHit[] = [];
  const assessment: DriftAssessment = { pairs: trendPairs.length, judged: false };

  if (rampPairs.length >= Math.min(thresholds.driftMinPairs, Math.ceil(minCoverage * thresholds.driftRampHours))) {
    assessment.judged = true;
    const ramp = rampRule(rampPairs, input.measurement, dayEndMs - dayMs, input.baseline, thresholds);
    if (ramp) hits.push(ramp);
  }
  if (input.baseline !== undefined && dayPairs.length >= Math.ceil(minCoverage * 24)) {
    assessment.judged = true;
    const shift = shiftRule(dayPairs, input.measurement, input.baseline, thresholds);
    if (shift) hits.push(shift);
  }
  if (trendPairs.length >= thresholds.driftMinPairs) {
    assessment.judged = true;
    const baseline = input.baseline;
    const biases = trendPairs.map((p) =>
      baseline === undefined ? p.sensor - p.reference : toReferenceScale(p.sensor, baseline, thresholds) - p.reference,
    );
    const trend = trendRule(trendPairs, biases, input.measurement, thresholds);
    assessment.trendPerDay = trend.perDay;
    assessment.trendR2 = trend.r2;
    if (trend.hit) hits.push({ ...trend.hit, evidence: { ...trend.hit.evidence, on: baseline ? 'baseline' : 'raw' } });
  }
  if (hits.length === 0) return assessment;

  const strongest = hits.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  assessment.finding = {
    sensorId: input.sensorId,
    type: 'drift',
    measurement: input.measurement,
    start: new Date(Math.min(...hits.map((h) => h.startMs))).toISOString(),
    end: new Date(Math.max(...hits.map((h) => h.endMs))).toISOString(),
    score: Math.min(strongest.ratio, 1e6),
    evidence: {
      rules: hits.map((h) => h.rule),
      ...Object.fromEntries(hits.map((h) => [h.rule, h.evidence])),
      baseline: input.baseline === undefined ? null : { ...pick(input.baseline) },
    },
  };
  return assessment;
}

function pick(b: Pick<CalibrationFit, 'slope' | 'intercept' | 'bias' | 'r2'>) {
  return { slope: b.slope, intercept: b.intercept, bias: b.bias, r2: b.r2 };
}

/**
 * The strongest gradual, significant ramp of the window that lasts into the day judged. How far it went is
 * measured from the baseline when there is one (the median, on the baseline's scale, of the ramp's last
 * hours: a ramp that began before the window still counts whole), else as fitted against the sensor's own
 * line around it.
 */
function rampRule(
  pairs: readonly Pair[],
  measurement: SensorMeasurementName,
  dayStartMs: number,
  baseline: Pick<CalibrationFit, 'slope' | 'intercept' | 'bias' | 'r2'> | undefined,
  thresholds: DetectorThresholds,
): RuleHit | undefined {
  const referenceMean = pairs.reduce((sum, p) => sum + p.reference, 0) / pairs.length;
  const band = offsetBand(measurement, referenceMean, thresholds);
  let best: RuleHit | undefined;
  for (const found of changeEpisodes(pairs, measurement, thresholds)) {
    const { episode } = found;
    if (!found.gradual || found.explained < thresholds.driftTrendMinR2) continue;
    if ((pairs[episode.last] as Pair).ms < dayStartMs) continue;
    if (hasJump(pairs.slice(episode.first + 1, episode.last), episode, thresholds.neighbourK)) continue;
    let change = episode.change;
    if (baseline !== undefined) {
      const end = pairs.slice(Math.max(episode.first, episode.last - rampEndHours + 1), episode.last + 1);
      const scaled = end.map((p) => ({
        value: toReferenceScale(p.sensor, baseline, thresholds),
        reference: p.reference,
      }));
      change =
        episode.kind === 'offset'
          ? median(scaled.map((p) => p.value - p.reference))
          : median(scaled.filter((p) => p.reference > 0).map((p) => p.value / p.reference - 1));
    }
    const ratio = changeRatio(episode.kind, change, band, thresholds);
    if (!(ratio > 1) || (best !== undefined && best.ratio >= ratio)) continue;
    best = {
      rule: 'ramp',
      ratio,
      startMs: (pairs[episode.first] as Pair).ms,
      endMs: (pairs[episode.last] as Pair).ms,
      evidence: {
        kind: episode.kind,
        change,
        from: baseline === undefined ? 'own_line' : 'baseline',
        explained: found.explained,
        hours: episode.last - episode.first + 1,
        line: { slope: episode.slope, intercept: episode.intercept },
      },
    };
  }
  return best;
}

/**
 * Whether the sensor's departure from its line jumps between two inner hours of a ramp by more than `k`
 * robust sd of its hour-to-hour changes (a Hampel test on the increments): a step inside what a ramp fitted
 * best, so not a gradual change. The ramp's first and last hours are left out: a drift that starts or ends
 * within an hour leaves that hour halfway.
 */
function hasJump(inner: readonly Pair[], episode: Episode, k: number): boolean {
  const departures = inner.map((p) => {
    const line = episode.intercept + episode.slope * p.reference;
    return episode.kind === 'offset' ? p.sensor - line : p.reference > 0 && line > 0 ? p.sensor / line - 1 : 0;
  });
  const steps = departures.slice(1).map((d, i) => d - (departures[i] as number));
  if (steps.length < 3) return false;
  const center = median(steps);
  const spread = madToSd * medianAbsoluteDeviation(steps, center);
  return steps.some((d) => Math.abs(d - center) > k * spread);
}

/** Most of the day's hours beyond a band from the baseline, on one side. */
function shiftRule(
  pairs: readonly Pair[],
  measurement: SensorMeasurementName,
  baseline: Pick<CalibrationFit, 'slope' | 'intercept' | 'bias' | 'r2'>,
  thresholds: DetectorThresholds,
): RuleHit | undefined {
  const referenceMean = pairs.reduce((sum, p) => sum + p.reference, 0) / pairs.length;
  const band = offsetBand(measurement, referenceMean, thresholds);
  const [below, above] = gainBands(thresholds);
  const scaled = pairs.map((p) => ({ ...p, value: toReferenceScale(p.sensor, baseline, thresholds) }));
  const offsets = scaled.map((p) => p.value - p.reference);
  const gains = scaled.map((p) => (p.reference > 0 ? p.value / p.reference - 1 : 0));
  const candidates: { kind: string; beyond: boolean[]; ratio: (i: number) => number }[] = [
    { kind: 'offset_up', beyond: offsets.map((o) => o > band), ratio: (i) => (offsets[i] as number) / band },
    { kind: 'offset_down', beyond: offsets.map((o) => o < -band), ratio: (i) => -(offsets[i] as number) / band },
    { kind: 'gain_up', beyond: gains.map((g) => g > above), ratio: (i) => (gains[i] as number) / above },
    { kind: 'gain_down', beyond: gains.map((g) => g < below), ratio: (i) => (gains[i] as number) / below },
  ];
  let hit: RuleHit | undefined;
  for (const candidate of candidates) {
    const indexes = candidate.beyond.flatMap((b, i) => (b ? [i] : []));
    const share = indexes.length / pairs.length;
    if (share < thresholds.driftSustainedShare) continue;
    const ratios = indexes.map(candidate.ratio).sort((a, b) => a - b);
    const ratio = ratios[ratios.length >> 1] as number;
    if (hit !== undefined && hit.ratio >= ratio) continue;
    hit = {
      rule: 'shift',
      ratio,
      startMs: (pairs[indexes[0] as number] as Pair).ms,
      endMs: (pairs[indexes[indexes.length - 1] as number] as Pair).ms,
      evidence: { kind: candidate.kind, share, band, gain_band: [below, above], hours: pairs.length },
    };
  }
  return hit;
}

/** The bias trend over the window, and a hit when it is steep, explains the bias and leads away from 0. */
function trendRule(
  pairs: readonly Pair[],
  biases: readonly number[],
  measurement: SensorMeasurementName,
  thresholds: DetectorThresholds,
): { perDay: number; r2: number; hit?: RuleHit } {
  const limit = thresholds.measurements[measurement].driftPerDay;
  const days = pairs.map((p) => (p.ms - (pairs[0] as Pair).ms) / dayMs);
  const trend = fitLine(days, biases);
  const perDay = trend?.slope ?? 0;
  const r2 = trend?.r2 ?? 0;
  const span = days[days.length - 1] as number;
  const away = trend !== undefined && Math.abs(trend.intercept + trend.slope * span) > Math.abs(trend.intercept);
  if (!(Math.abs(perDay) > limit && r2 >= thresholds.driftTrendMinR2 && away)) return { perDay, r2 };
  const start = hingeIndex(days, biases);
  return {
    perDay,
    r2,
    hit: {
      rule: 'trend',
      ratio: Math.abs(perDay) / limit,
      startMs: (pairs[start] as Pair).ms,
      endMs: (pairs[pairs.length - 1] as Pair).ms,
      evidence: { per_day: perDay, r2, hours: pairs.length },
    },
  };
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

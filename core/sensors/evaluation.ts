import { anomalyTypes, type AnomalyType, type SensorAnomaly } from './anomaly';
import type { FaultLabel, SignalLabel } from './simulator/labels';

/**
 * Event-level scores of a detector against a simulation's labels, per anomaly type:
 *
 * - A label is **detected** when an anomaly on its sensor, of its type or an accepted equivalent
 *   (`acceptedTypes`), with a compatible measurement (equal, or either side without one), overlaps the label's
 *   window widened by `toleranceSeconds` on both sides.
 * - Each anomaly matches at most one label. Anomalies are taken in order of detection time, so the first
 *   detection of a fault claims it and gives the delay; a later anomaly that could only match an already
 *   detected label is **redundant**: neither a true nor a false positive (the convention of event-based
 *   benchmarks such as NAB: a fault reported twice is still one fault found, and not a false alarm).
 * - A sustained fault made of single-reading ones (`summaryTypes`: `repeated_out_of_range`, `frequent_spikes`)
 *   found on labelled out-of-range values or spikes summarises what the single-reading anomalies already
 *   detected (each of those is the detection, with its delay): it is **redundant** there, and claims only a
 *   label of its own type.
 * - An anomaly that matches no label but starts at the end of a signal fault of its sensor (compatible
 *   measurement), or within `toleranceSeconds` after it, is **redundant at the fault's end**: also neither
 *   true nor false, and counted in `redundant` (and `atFaultEnd`). The simulator ends a drift or a
 *   flatline at once, so the series jumps back to the clean level one reading after the label: a real change
 *   in the readings, caused by the labelled fault, which a step or a spike check rightly sees, of a type the
 *   fault's `acceptedTypes` do not include. Nothing else is loosened: an anomaly inside a fault of a type it
 *   does not accept, or starting before a fault's end, or more than the tolerance after it, is still false.
 * - Every other anomaly is a **false positive** of its type. Those falling on a clean sensor-day (a UTC
 *   day of a sensor with no label of any kind, delivery faults included, within tolerance) are the
 *   **false alarms per clean sensor-day**; partial days at the window's edges count as fractions of a day.
 * - **Delay** is event time from the label's start to the detection (`detected_event_time` when the
 *   detector records it, else `detected_at`, which equals the event time for a detector running on event
 *   time), floored at 0 (a detection inside the tolerance before the start); median and 95th percentile
 *   (nearest rank) over detected labels.
 * Precision and recall are `null` when there is nothing to divide by (no anomaly, or no label, of a type).
 */

/**
 * The checks a fault legitimately trips, beside its own type: a spike or an out-of-range burst is also an
 * implausible rate of change (and a sentinel is a spike); a step is sudden (rate of change) and makes the
 * sensor disagree with its neighbours; drift and a local plume are both seen by comparing with neighbours,
 * and a long plume looks like drift. `rate_of_change` has no fault of its own in the simulator. Repeated
 * out-of-range values and spikes summarise those faults (and a sensor failing that way does both).
 */
export const acceptedTypes: Readonly<Record<AnomalyType, readonly AnomalyType[]>> = {
  spike: ['spike', 'rate_of_change', 'frequent_spikes'],
  out_of_range: ['out_of_range', 'spike', 'rate_of_change', 'repeated_out_of_range'],
  rate_of_change: ['rate_of_change', 'spike'],
  flatline: ['flatline'],
  dropout: ['dropout'],
  step: ['step', 'rate_of_change', 'neighbour_disagreement'],
  drift: ['drift', 'neighbour_disagreement'],
  neighbour_disagreement: ['neighbour_disagreement', 'drift'],
  repeated_out_of_range: ['repeated_out_of_range', 'out_of_range'],
  frequent_spikes: ['frequent_spikes', 'spike', 'rate_of_change'],
};

/** Sustained faults counted from single-reading ones: redundant on the labels of those (see above). */
export const summaryTypes: readonly AnomalyType[] = ['repeated_out_of_range', 'frequent_spikes'];

export type DetectedAnomaly = Pick<SensorAnomaly, 'sensor_id' | 'type' | 'window' | 'detected_at'> & {
  measurement?: string;
  /** Event time at which the detector had the evidence, when it differs from `detected_at`. */
  detected_event_time?: string;
};

export interface EvaluationInput {
  labels: readonly FaultLabel[];
  anomalies: readonly DetectedAnomaly[];
  /** Every simulated sensor, clean ones included. */
  sensors: readonly string[];
  window: { start: string; end: string };
  toleranceSeconds?: number;
}

export interface Score {
  labels: number;
  detected: number;
  recall: number | null;
  anomalies: number;
  truePositives: number;
  falsePositives: number;
  /** Neither true nor false: repeated detections of a found fault, and detections at a fault's end. */
  redundant: number;
  /** Of `redundant`: those attributed to a fault's end (see the module's doc). */
  atFaultEnd: number;
  precision: number | null;
  falseAlarmsOnCleanDays: number;
  falseAlarmsPerCleanSensorDay: number | null;
  delaySeconds: { median: number | null; p95: number | null };
  /**
   * Each detected label's delay with the anomaly that found it (its index in the input's `anomalies`), for
   * targets that depend on the anomaly.
   */
  detections: { anomalyIndex: number; delaySeconds: number }[];
}

export interface Evaluation {
  toleranceSeconds: number;
  cleanSensorDays: number;
  byType: Record<AnomalyType, Score>;
  overall: Score;
}

export const defaultToleranceSeconds = 300;
const dayMs = 86_400_000;

interface Span {
  start: number;
  end: number;
}

const overlaps = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

const compatibleMeasurement = (label: SignalLabel, anomaly: DetectedAnomaly) =>
  label.measurement === undefined || anomaly.measurement === undefined || label.measurement === anomaly.measurement;

/**
 * Whether `anomaly` starts at the end of signal fault `label` (same sensor, compatible measurement) or
 * within `toleranceMs` after it: where the series returns from the fault.
 */
export function startsAtFaultEnd(anomaly: DetectedAnomaly, label: SignalLabel, toleranceMs: number): boolean {
  const after = Date.parse(anomaly.window.start) - Date.parse(label.end);
  return (
    label.sensor_id === anomaly.sensor_id && compatibleMeasurement(label, anomaly) && after >= 0 && after <= toleranceMs
  );
}
const overlapLength = (a: Span, b: Span) => Math.min(a.end, b.end) - Math.max(a.start, b.start);

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function detectionMs(anomaly: DetectedAnomaly): number {
  return Date.parse(anomaly.detected_event_time ?? anomaly.detected_at);
}

/** The clean pieces of each sensor's UTC days within the window, as spans. */
function cleanPieces(input: EvaluationInput, toleranceMs: number): Map<string, Span[]> {
  const windowStart = Date.parse(input.window.start);
  const windowEnd = Date.parse(input.window.end);
  const labelled = new Map<string, Span[]>();
  for (const label of input.labels) {
    const span = { start: Date.parse(label.start) - toleranceMs, end: Date.parse(label.end) + toleranceMs };
    labelled.set(label.sensor_id, [...(labelled.get(label.sensor_id) ?? []), span]);
  }
  const pieces = new Map<string, Span[]>();
  for (const sensor of input.sensors) {
    const spans = labelled.get(sensor) ?? [];
    const clean: Span[] = [];
    for (let day = Math.floor(windowStart / dayMs) * dayMs; day < windowEnd; day += dayMs) {
      // Half-open [start, end): `end - 1` keeps a label starting at midnight off the day before.
      const piece = { start: Math.max(day, windowStart), end: Math.min(day + dayMs, windowEnd) };
      if (piece.end > piece.start && !spans.some((s) => overlaps(s, { start: piece.start, end: piece.end - 1 }))) {
        clean.push(piece);
      }
    }
    pieces.set(sensor, clean);
  }
  return pieces;
}

interface Tally {
  labels: number;
  detected: number;
  anomalies: number;
  truePositives: number;
  falsePositives: number;
  redundant: number;
  atFaultEnd: number;
  falseAlarmsOnCleanDays: number;
  delays: number[];
  detections: { anomalyIndex: number; delaySeconds: number }[];
}

const emptyTally = (): Tally => ({
  labels: 0,
  detected: 0,
  anomalies: 0,
  truePositives: 0,
  falsePositives: 0,
  redundant: 0,
  atFaultEnd: 0,
  falseAlarmsOnCleanDays: 0,
  delays: [],
  detections: [],
});

function score(tally: Tally, cleanSensorDays: number): Score {
  const delays = [...tally.delays].sort((a, b) => a - b);
  return {
    labels: tally.labels,
    detected: tally.detected,
    recall: ratio(tally.detected, tally.labels),
    anomalies: tally.anomalies,
    truePositives: tally.truePositives,
    falsePositives: tally.falsePositives,
    redundant: tally.redundant,
    atFaultEnd: tally.atFaultEnd,
    precision: ratio(tally.truePositives, tally.truePositives + tally.falsePositives),
    falseAlarmsOnCleanDays: tally.falseAlarmsOnCleanDays,
    falseAlarmsPerCleanSensorDay: ratio(tally.falseAlarmsOnCleanDays, cleanSensorDays),
    delaySeconds: { median: percentile(delays, 50), p95: percentile(delays, 95) },
    detections: tally.detections,
  };
}

export function evaluateDetections(input: EvaluationInput): Evaluation {
  const toleranceSeconds = input.toleranceSeconds ?? defaultToleranceSeconds;
  const toleranceMs = toleranceSeconds * 1000;
  const signal = input.labels.filter((l): l is SignalLabel => l.kind === 'signal');
  const spans = signal.map((l) => ({ start: Date.parse(l.start) - toleranceMs, end: Date.parse(l.end) + toleranceMs }));
  const matched = new Array<boolean>(signal.length).fill(false);
  const pieces = cleanPieces(input, toleranceMs);
  const cleanSensorDays = [...pieces.values()].flat().reduce((days, p) => days + (p.end - p.start) / dayMs, 0);

  const tallies = Object.fromEntries(anomalyTypes.map((t) => [t, emptyTally()])) as Record<AnomalyType, Tally>;
  const overall = emptyTally();
  for (const label of signal) {
    tallies[label.type].labels++;
    overall.labels++;
  }

  const indexOf = new Map(input.anomalies.map((anomaly, i) => [anomaly, i]));
  const ordered = [...input.anomalies].sort(
    (a, b) => detectionMs(a) - detectionMs(b) || Date.parse(a.window.start) - Date.parse(b.window.start),
  );
  for (const anomaly of ordered) {
    const tally = tallies[anomaly.type];
    tally.anomalies++;
    overall.anomalies++;
    const window = { start: Date.parse(anomaly.window.start), end: Date.parse(anomaly.window.end) };
    const candidates = signal
      .map((label, i) => ({ label, i }))
      .filter(
        ({ label, i }) =>
          label.sensor_id === anomaly.sensor_id &&
          acceptedTypes[label.type].includes(anomaly.type) &&
          compatibleMeasurement(label, anomaly) &&
          overlaps(spans[i] as Span, window),
      );
    const summary = summaryTypes.includes(anomaly.type);
    const open = candidates
      .filter(({ label, i }) => !matched[i] && (!summary || label.type === anomaly.type))
      .sort(
        (a, b) =>
          overlapLength(spans[b.i] as Span, window) - overlapLength(spans[a.i] as Span, window) ||
          (spans[a.i] as Span).start - (spans[b.i] as Span).start,
      )[0];
    if (open !== undefined) {
      matched[open.i] = true;
      const delay = Math.max(0, (detectionMs(anomaly) - Date.parse(open.label.start)) / 1000);
      for (const t of [tally, overall]) t.truePositives++;
      // Detection and delay belong to the label's type (the fault), precision to the anomaly's.
      for (const t of [tallies[open.label.type], overall]) {
        t.detected++;
        t.delays.push(delay);
        t.detections.push({ anomalyIndex: indexOf.get(anomaly) as number, delaySeconds: delay });
      }
    } else if (candidates.length > 0) {
      tally.redundant++;
      overall.redundant++;
    } else if (signal.some((label) => startsAtFaultEnd(anomaly, label, toleranceMs))) {
      for (const t of [tally, overall]) {
        t.redundant++;
        t.atFaultEnd++;
      }
    } else {
      tally.falsePositives++;
      overall.falsePositives++;
      const onCleanDay = (pieces.get(anomaly.sensor_id) ?? []).some(
        (p) => window.start >= p.start && window.start < p.end,
      );
      if (onCleanDay) {
        tally.falseAlarmsOnCleanDays++;
        overall.falseAlarmsOnCleanDays++;
      }
    }
  }

  const byType = Object.fromEntries(anomalyTypes.map((t) => [t, score(tallies[t], cleanSensorDays)])) as Record<
    AnomalyType,
    Score
  >;
  return { toleranceSeconds, cleanSensorDays, byType, overall: score(overall, cleanSensorDays) };
}

import { partitionForKey } from '../../adapters/kafka/partition';
import type { AnomalyType, SensorAnomaly } from '../../core/sensors/anomaly';
import { createDetectorState, type DetectorState } from '../../core/sensors/detector/detector-state';
import {
  acceptedTypes,
  evaluateDetections,
  startsAtFaultEnd,
  type Evaluation,
  type Score,
} from '../../core/sensors/evaluation';
import { runDailyRollup } from '../../core/sensors/hourly/daily-rollup';
import type { FlaggedReading } from '../../core/sensors/hourly/hourly-means';
import { referenceHoursFromSeries, type ReferenceHour } from '../../core/sensors/hourly/reference';
import type { FaultLabel, SignalLabel } from '../../core/sensors/simulator/labels';
import type { Simulation } from '../../core/sensors/simulator/simulate';
import { resolveDetectorThresholds, type DetectorThresholds } from '../../core/sensors/thresholds';
import { topics } from '../../core/topics';
import { decodeSensorRecord } from '../../workers/detector/decode';

import { lyonReference } from './scenario';

/**
 * Detection quality in one process, no stack: the simulation's messages in send order, routed to the
 * partition kafkajs's default partitioner would give them (3 partitions of `sensors.raw`), one
 * `DetectorState` per partition as the detector process keeps, decoded as the process decodes them, with
 * `now` a fixed wall time after the window (the process passes its clock). What comes out is scored against
 * the labels with `evaluateDetections`.
 */

export const rawPartitions = 3;

let lyonHours: ReferenceHour[] | undefined;
/** The reference hours of the simulation's Lyon series (NO2 derived from CO included: the sensors breathe it). */
function lyonReferenceHours(): ReferenceHour[] {
  lyonHours ??= referenceHoursFromSeries(lyonReference());
  return lyonHours;
}

/** Types the stream detector decides; drift and neighbour disagreement come from the daily batch (rollup). */
export const streamTypes = ['out_of_range', 'spike', 'flatline', 'dropout', 'step'] as const;
export const batchTypes = ['drift', 'neighbour_disagreement'] as const;
export const scoredTypes = [...streamTypes, ...batchTypes] as const;

/** Targets of issue 13 (precision and recall). */
export const qualityTargets: Record<AnomalyType, number | null> = {
  out_of_range: 0.95,
  spike: 0.95,
  flatline: 0.95,
  dropout: 0.95,
  step: 0.85,
  drift: 0.85,
  neighbour_disagreement: 0.85,
  rate_of_change: null,
  repeated_out_of_range: null,
  frequent_spikes: null,
};
export const falseAlarmTarget = 0.1;

/**
 * The detector's thresholds for a simulation: its interval and allowed lateness (the simulator's late
 * readings are late by the same rule), then any overrides given (top-level keys and per measurement).
 */
export function scenarioThresholds(simulation: Simulation, overrides: unknown = {}): DetectorThresholds {
  const given = (typeof overrides === 'object' && overrides !== null ? overrides : {}) as Record<string, unknown>;
  return resolveDetectorThresholds({
    expectedIntervalSeconds: simulation.options.intervalSeconds,
    allowedLatenessSeconds: simulation.options.delivery.allowedLatenessSeconds,
    ...given,
  });
}

export interface DeliveryTally {
  messages: number;
  malformed: { labels: number; setAside: number; setAsideLabelled: number };
  duplicate: { labels: number; takenOnce: number; labelled: number };
  late: { labels: number; setAside: number; setAsideLabelled: number };
  futureRefused: number;
  /** Spike and out-of-range labels whose first reading carries a flag of an accepted type when checked. */
  flaggedOnTheReading: Record<'spike' | 'out_of_range', { labels: number; flagged: number }>;
  /** Readings still queued behind the allowed lateness at the end (never released, as in the process). */
  stillQueued: number;
  checkedReadings: number;
}

/**
 * Why an anomaly matched no label, read off the labels (the score is not changed by it):
 * - `fault_end`: it starts at a signal fault's end (same sensor, compatible measurement) or within the
 *   tolerance after it: the simulator ends a drift or a flatline at once, so the series jumps back to the
 *   clean level, which is a real step (or spike) in the readings, of a type the fault's `acceptedTypes` do
 *   not include. `evaluateDetections` counts these as redundant (`atFaultEnd`), not as false positives;
 *   they are listed with the others so that every detection no label accepts is shown;
 * - `after_fault`: it starts later after such a fault, within the spike check's window (`hampelWindow`
 *   readings), which the fault's readings may still fill (a flatline's identical values shrink the MAD);
 * - `inside_other_fault`: it overlaps a signal fault of the same sensor and measurement whose type does not
 *   accept it (a step found on a smooth local plume labelled `neighbour_disagreement`, say);
 * - `clean`: no fault of that sensor and measurement anywhere near: a false alarm on clean readings.
 */
export type FalsePositiveCause = 'fault_end' | 'after_fault' | 'inside_other_fault' | 'clean';

export interface FalsePositive {
  anomaly: SensorAnomaly;
  cause: FalsePositiveCause;
  /** The label it relates to, for `fault_end` and `inside_other_fault`. */
  label?: string;
}

export interface QualityRun {
  evaluation: Evaluation;
  falsePositives: FalsePositive[];
  /** Stream and daily-batch anomalies together (what is scored). */
  anomalies: SensorAnomaly[];
  /** The stream detector's alone (what the detector process stores). */
  streamAnomalies: SensorAnomaly[];
  /** The daily batch over the checked readings, when run. */
  rollup: { days: number; anomalies: number; seconds: number } | undefined;
  delivery: DeliveryTally;
  partitions: { partition: number; sensors: number; messages: number }[];
  detectors: Map<number, DetectorState>;
  seconds: { simulate: number; detect: number };
}

/** Runs the detector core over a simulation as the process would, and scores it. */
export function runQuality(
  simulation: Simulation,
  options: { thresholds?: unknown; simulateSeconds?: number; rollup?: boolean } = {},
): QualityRun {
  const thresholds = scenarioThresholds(simulation, options.thresholds);
  const windowEndMs = Date.parse(simulation.window.end);
  const now = new Date(windowEndMs + 86_400_000).toISOString();
  const detectors = new Map<number, DetectorState>();
  const perPartition = new Map<number, { sensors: Set<string>; messages: number }>();
  const anomalies = new Map<string, SensorAnomaly>();
  const key = (sensorId: string, time: string) => `${sensorId} ${Date.parse(time)}`;
  const labelled = (type: string) =>
    new Set(simulation.labels.filter((l) => l.type === type).map((l) => key(l.sensor_id, l.start)));
  const malformedLabels = labelled('malformed');
  const duplicateLabels = labelled('duplicate');
  const lateLabels = labelled('late');
  const delivery: DeliveryTally = {
    messages: simulation.messages.length,
    malformed: { labels: malformedLabels.size, setAside: 0, setAsideLabelled: 0 },
    duplicate: { labels: duplicateLabels.size, takenOnce: 0, labelled: 0 },
    late: { labels: lateLabels.size, setAside: 0, setAsideLabelled: 0 },
    futureRefused: 0,
    flaggedOnTheReading: { spike: { labels: 0, flagged: 0 }, out_of_range: { labels: 0, flagged: 0 } },
    stillQueued: 0,
    checkedReadings: 0,
  };

  const checked: FlaggedReading[] = [];
  const onTheReading = new Map<string, SignalLabel>();
  for (const label of simulation.labels) {
    if (label.kind === 'signal' && (label.type === 'spike' || label.type === 'out_of_range')) {
      onTheReading.set(key(label.sensor_id, label.start), label);
      delivery.flaggedOnTheReading[label.type].labels++;
    }
  }

  const started = performance.now();
  for (const message of simulation.messages) {
    const partition = partitionForKey(message.key, rawPartitions, topics.sensorsRaw);
    const counts = perPartition.get(partition) ?? { sensors: new Set<string>(), messages: 0 };
    counts.sensors.add(message.key);
    counts.messages++;
    perPartition.set(partition, counts);
    const decoded = decodeSensorRecord({ key: Buffer.from(message.key), value: Buffer.from(message.value) });
    if (!decoded.ok) {
      delivery.malformed.setAside++;
      if (malformedLabels.has(key(message.key, message.eventTime))) delivery.malformed.setAsideLabelled++;
      continue;
    }
    let detector = detectors.get(partition);
    if (detector === undefined) {
      detector = createDetectorState(thresholds);
      detectors.set(partition, detector);
    }
    for (const output of detector.ingest([decoded.reading], { now })) {
      switch (output.kind) {
        case 'reading': {
          delivery.checkedReadings++;
          checked.push({ ...output.reading, qc_flags: output.flags });
          const label = onTheReading.get(key(output.reading.sensor_id, output.reading.timestamp));
          if (
            (label?.type === 'spike' || label?.type === 'out_of_range') &&
            output.flags.some(
              (f) =>
                acceptedTypes[label.type].includes(f.type) &&
                (label.measurement === undefined || f.measurement === undefined || f.measurement === label.measurement),
            )
          ) {
            delivery.flaggedOnTheReading[label.type].flagged++;
          }
          break;
        }
        case 'anomaly_opened':
        case 'anomaly_closed':
          // The closed version carries the final window; an anomaly never closed keeps its opened one.
          anomalies.set(output.anomaly.id, output.anomaly);
          break;
        case 'duplicate':
          delivery.duplicate.takenOnce++;
          if (duplicateLabels.has(key(output.reading.sensor_id, output.reading.timestamp)))
            delivery.duplicate.labelled++;
          break;
        case 'rejected':
          if (output.reason === 'too_far_in_future') delivery.futureRefused++;
          else {
            delivery.late.setAside++;
            if (lateLabels.has(key(output.reading.sensor_id, output.reading.timestamp)))
              delivery.late.setAsideLabelled++;
          }
          break;
      }
    }
  }
  const detectSeconds = (performance.now() - started) / 1000;
  for (const detector of detectors.values()) delivery.stillQueued += detector.snapshot().pending.length;

  const streamAnomalies = [...anomalies.values()];
  let rollup: QualityRun['rollup'];
  let batchAnomalies: SensorAnomaly[] = [];
  if (options.rollup !== false) {
    // The daily batch (the rollup) over the readings the stream checked: drift and neighbour disagreement.
    const rollupStarted = performance.now();
    const result = runDailyRollup({
      readings: checked,
      sensors: simulation.sensors.map((s) => ({
        id: s.sensor_id,
        latitude: s.lat,
        longitude: s.lon,
        nearestLocationId: s.location_id,
      })),
      references: lyonReferenceHours(),
      thresholds,
    });
    batchAnomalies = result.anomalies.map((a) => a.anomaly);
    rollup = {
      days: result.days.length,
      anomalies: batchAnomalies.length,
      seconds: (performance.now() - rollupStarted) / 1000,
    };
  }
  const found = [...streamAnomalies, ...batchAnomalies];
  const evaluation = evaluateDetections({
    labels: simulation.labels,
    anomalies: found,
    sensors: simulation.sensors.map((s) => s.sensor_id),
    window: simulation.window,
  });
  return {
    evaluation,
    falsePositives: falsePositives(
      simulation.labels,
      found,
      evaluation.toleranceSeconds,
      thresholds.hampelWindow * thresholds.expectedIntervalSeconds * 1000,
    ),
    anomalies: found,
    streamAnomalies,
    rollup,
    delivery,
    partitions: [...perPartition]
      .sort(([a], [b]) => a - b)
      .map(([partition, c]) => ({ partition, sensors: c.sensors.size, messages: c.messages })),
    detectors,
    seconds: { simulate: options.simulateSeconds ?? 0, detect: detectSeconds },
  };
}

/**
 * The anomalies no label accepts (as `evaluateDetections` decides), each with its likely cause: the false
 * positives, and those at a fault's end (`fault_end`, which the evaluation counts as redundant).
 */
export function falsePositives(
  labels: readonly FaultLabel[],
  anomalies: readonly SensorAnomaly[],
  toleranceSeconds: number,
  afterMs: number,
): FalsePositive[] {
  const toleranceMs = toleranceSeconds * 1000;
  const signal = labels.filter((l): l is SignalLabel => l.kind === 'signal');
  const sameMeasurement = (label: SignalLabel, anomaly: SensorAnomaly) =>
    label.measurement === undefined || anomaly.measurement === undefined || label.measurement === anomaly.measurement;
  const out: FalsePositive[] = [];
  for (const anomaly of anomalies) {
    const start = Date.parse(anomaly.window.start);
    const end = Date.parse(anomaly.window.end);
    const near = signal.filter(
      (l) =>
        l.sensor_id === anomaly.sensor_id &&
        sameMeasurement(l, anomaly) &&
        Date.parse(l.start) - toleranceMs <= end &&
        start <= Date.parse(l.end) + toleranceMs,
    );
    if (near.some((l) => acceptedTypes[l.type].includes(anomaly.type))) continue;
    const describe = (l: SignalLabel) => `${l.type} ${l.measurement ?? ''} ${l.start}..${l.end}`.replace('  ', ' ');
    const ended = signal.find((l) => startsAtFaultEnd(anomaly, l, toleranceMs));
    if (ended !== undefined) out.push({ anomaly, cause: 'fault_end', label: describe(ended) });
    else if (near[0] !== undefined) out.push({ anomaly, cause: 'inside_other_fault', label: describe(near[0]) });
    else {
      const before = signal.find(
        (l) =>
          l.sensor_id === anomaly.sensor_id &&
          sameMeasurement(l, anomaly) &&
          start > Date.parse(l.end) &&
          start - Date.parse(l.end) <= afterMs,
      );
      out.push(
        before === undefined ? { anomaly, cause: 'clean' } : { anomaly, cause: 'after_fault', label: describe(before) },
      );
    }
  }
  return out;
}

const fixed = (value: number | null, digits = 3) => (value === null ? '-' : value.toFixed(digits));
const seconds = (value: number | null) => (value === null ? '-' : `${Math.round(value)}`);
const readings = (value: number | null, interval: number) =>
  value === null ? '-' : `${Number((value / interval).toFixed(1))}`;

/**
 * Whether a type's precision and recall meet its target (`null` when there is nothing to judge). Precision
 * is undefined when no anomaly of the type was scored true or false (each was redundant: another accepted
 * type found its fault first); with no false positive, it cannot miss a precision target.
 */
export function typeMet(type: AnomalyType, score: Score): boolean | null {
  const target = qualityTargets[type];
  if (target === null || score.labels === 0) return null;
  return (score.recall ?? 0) >= target && (score.precision === null || score.precision >= target);
}

/** The Markdown table of one run: a row per type, then the clean-day false alarms and the delivery faults. */
export function qualityTable(run: QualityRun, simulation: Simulation): string {
  const interval = simulation.options.intervalSeconds;
  const lines = [
    "| type | labels | detected | TP | FP | redundant (at a fault's end) | precision | recall | delay median (readings / s) | delay p95 (readings / s) | target P, R | met |",
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const unlabelled = ['rate_of_change', 'repeated_out_of_range', 'frequent_spikes'];
  const rows = run.rollup === undefined ? [...streamTypes, ...unlabelled] : [...scoredTypes, ...unlabelled];
  for (const type of rows as AnomalyType[]) {
    const s = run.evaluation.byType[type];
    const target = qualityTargets[type];
    const met = typeMet(type, s);
    lines.push(
      `| ${type} | ${s.labels} | ${s.detected} | ${s.truePositives} | ${s.falsePositives} | ${s.redundant} (${s.atFaultEnd}) | ${fixed(s.precision)} | ${fixed(s.recall)} | ${readings(s.delaySeconds.median, interval)} / ${seconds(s.delaySeconds.median)} | ${readings(s.delaySeconds.p95, interval)} / ${seconds(s.delaySeconds.p95)} | ${target === null ? '(no fault of its own)' : `≥ ${target}`} | ${met === null ? '-' : met ? 'yes' : '**no**'} |`,
    );
  }
  for (const type of run.rollup === undefined ? batchTypes : []) {
    const s = run.evaluation.byType[type];
    lines.push(
      `| ${type} | ${s.labels} | not measured here (hourly batch) | | | | | | | | ≥ ${qualityTargets[type]} | - |`,
    );
  }
  const fa = run.evaluation.overall.falseAlarmsPerCleanSensorDay;
  lines.push(
    '',
    `False alarms per clean sensor-day (${run.rollup === undefined ? 'stream checks' : 'stream and daily checks'}): ${fixed(fa)} (${run.evaluation.overall.falseAlarmsOnCleanDays} on ${run.evaluation.cleanSensorDays.toFixed(1)} clean sensor-days; target ≤ ${falseAlarmTarget}: ${fa !== null && fa <= falseAlarmTarget ? 'met' : '**missed**'})`,
  );
  const d = run.delivery;
  lines.push(
    `Delivery: ${d.messages} messages; malformed ${d.malformed.setAside} set aside (${d.malformed.setAsideLabelled} of ${d.malformed.labels} labelled); ` +
      `duplicates ${d.duplicate.takenOnce} taken once (${d.duplicate.labelled} of ${d.duplicate.labels} labelled); ` +
      `late ${d.late.setAside} set aside (${d.late.setAsideLabelled} of ${d.late.labels} labelled); ${d.futureRefused} refused as from the future; ` +
      `${d.checkedReadings} readings checked, ${d.stillQueued} still behind the allowed lateness at the end`,
  );
  return lines.join('\n');
}

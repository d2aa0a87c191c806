import { cpus, loadavg } from 'node:os';

import type { AnomalyType } from '../../core/sensors/anomaly';

import {
  batchTypes,
  falseAlarmTarget,
  qualityTable,
  qualityTargets,
  runQuality,
  scoredTypes,
  streamTypes,
  typeMet,
  type FalsePositiveCause,
  type QualityRun,
} from './quality';
import { simulateScenario, type ScenarioArgs } from './scenario';

/** Prints the quality of one scenario (full table) or of several seeds (a line per seed); returns the figures. */
export function qualityReport(
  scenario: ScenarioArgs,
  options: { seeds?: number[] | undefined; thresholds: unknown; listFalsePositives: boolean; rollup: boolean },
) {
  const seeds = options.seeds ?? [scenario.seed];
  const runs = seeds.map((seed) => {
    const started = performance.now();
    const simulation = simulateScenario({ ...scenario, seed });
    const run = runQuality(simulation, {
      rollup: options.rollup,
      thresholds: options.thresholds,
      simulateSeconds: (performance.now() - started) / 1000,
    });
    return { seed, simulation, run };
  });
  const first = runs[0];
  if (first === undefined) throw new Error('--seeds: no seed');
  const { options: sim } = first.simulation;
  console.log(
    `\n## Anomaly detection quality (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})\n` +
      `${sim.sensors} sensors × ${sim.days} days × a reading every ${sim.intervalSeconds} s from ${first.simulation.window.start}, ` +
      `fault mix ${JSON.stringify(sim.faults)}, thresholds ${JSON.stringify(options.thresholds)}; ` +
      `tolerance ±${first.run.evaluation.toleranceSeconds} s; seeds ${seeds.join(', ')}\n`,
  );
  for (const { seed, simulation, run } of runs) {
    if (runs.length === 1) {
      console.log(qualityTable(run, simulation));
      console.log(delayChecks(run, simulation.options.intervalSeconds));
      console.log(
        `${run.rollup ? `Daily batch (runDailyRollup over the checked readings, references: the Lyon series incl. NO2 derived from CO): ${run.rollup.days} days, ${run.rollup.anomalies} drift / neighbour anomalies, ${run.rollup.seconds.toFixed(1)} s. ` : ''}Partitions (kafkajs default partitioner, 3): ${run.partitions.map((p) => `${p.partition}: ${p.sensors} sensors, ${p.messages} messages`).join('; ')}. ` +
          `Simulated in ${run.seconds.simulate.toFixed(1)} s, detected in ${run.seconds.detect.toFixed(1)} s (${Math.round(run.delivery.messages / run.seconds.detect)} messages/s, one core).`,
      );
    }
    if (runs.length === 1 || options.listFalsePositives) {
      console.log(falsePositiveLines(run, seed, options.listFalsePositives));
    }
  }
  if (runs.length > 1) console.log(seedTable(runs));
  return runs.map(({ seed, run }) => ({
    seed,
    evaluation: run.evaluation,
    delivery: run.delivery,
    falsePositives: countCauses(run),
    seconds: run.seconds,
  }));
}

function countCauses(run: QualityRun): Record<FalsePositiveCause, number> {
  const counts: Record<FalsePositiveCause, number> = { fault_end: 0, after_fault: 0, inside_other_fault: 0, clean: 0 };
  for (const fp of run.falsePositives) counts[fp.cause]++;
  return counts;
}

function falsePositiveLines(run: QualityRun, seed: number, list: boolean): string {
  const counts = countCauses(run);
  const lines = [
    `Detections no label accepts, by likely cause (seed ${seed}): ${counts.fault_end} at the end of a labelled fault (the series jumps back to clean; counted redundant, not false), ` +
      `false positives: ${counts.after_fault} within the spike window (2 h) after a fault, ${counts.inside_other_fault} inside a labelled fault of another type, ${counts.clean} on clean readings of that measurement`,
  ];
  if (list) {
    for (const fp of run.falsePositives) {
      const a = fp.anomaly;
      lines.push(
        `  ${fp.cause.padEnd(18)} ${a.type} ${a.sensor_id} ${a.measurement ?? ''} ${a.window.start}..${a.window.end} score ${a.score.toFixed(2)}${fp.label ? ` (${fp.label})` : ''} ${JSON.stringify(a.evidence)}`,
      );
    }
  }
  return lines.join('\n');
}

/** The delay targets: spikes and out-of-range on the reading itself, flatlines within a reading of the rule, dropouts within two intervals. */
function delayChecks(run: QualityRun, intervalSeconds: number): string {
  const p95 = (type: AnomalyType) => run.evaluation.byType[type].delaySeconds.p95;
  const rule = (type: AnomalyType, limitSeconds: number, what: string) => {
    const value = p95(type);
    if (value === null) return `${type}: no detection`;
    return `${type} p95 ${value} s (${what}, ≤ ${limitSeconds} s): ${value <= limitSeconds ? 'met' : '**missed**'}`;
  };
  const flagged = (type: 'spike' | 'out_of_range') => {
    const f = run.delivery.flaggedOnTheReading[type];
    return `${f.flagged} of ${f.labels} first readings carry a ${type === 'spike' ? 'spike / rate-of-change' : 'range / spike / rate'} flag when checked${f.flagged === f.labels ? ' (met)' : ' (**missed**)'}`;
  };
  return [
    'Delay targets (anomaly delay = event time from the label start to `detected_at`; flags are on the checked reading):',
    `- out_of_range: ${flagged('out_of_range')}; anomaly ${rule('out_of_range', 0, 'on the reading itself')}`,
    `- spike: ${flagged('spike')}; anomaly p95 ${p95('spike') ?? '-'} s: a spike is known whole (an anomaly) once the excursion is over, on the next reading back`,
    `- ${flatlineRule(run, intervalSeconds)}`,
    `- ${rule('dropout', 2 * intervalSeconds, 'within two intervals')}`,
  ].join('\n');
}

/**
 * Flatlines within one reading of their rule's length: each detection's delay against the readings its rule
 * required (10, or 60 for a run at a low value: the anomaly's `required_readings`), plus one reading.
 */
function flatlineRule(run: QualityRun, intervalSeconds: number): string {
  const detections = run.evaluation.byType.flatline.detections;
  if (detections.length === 0) return 'flatline: no detection';
  const excess = detections.map(({ anomalyIndex, delaySeconds }) => {
    const required = Number(run.anomalies[anomalyIndex]?.evidence.required_readings);
    return delaySeconds - (Number.isFinite(required) ? required : 10) * intervalSeconds;
  });
  const late = excess.filter((e) => e > 0).length;
  const worst = Math.max(...excess);
  return (
    `flatline: ${detections.length - late} of ${detections.length} detections within one reading of their rule's length ` +
    `(10 readings, 60 for a run at ≤ 3 µg/m³; the latest ${worst <= 0 ? `${-worst} s inside it` : `${worst} s beyond it`}): ${late === 0 ? 'met' : '**missed**'}`
  );
}

function seedTable(runs: { seed: number; run: QualityRun }[]): string {
  const types: AnomalyType[] = runs.every(({ run }) => run.rollup !== undefined) ? [...scoredTypes] : [...streamTypes];
  const head = `| seed | ${types.map((t) => `${t} P / R`).join(' | ')} | FA per clean sensor-day | at a fault's end (redundant) | FP: after a fault / inside other / clean |`;
  const lines = [head, `|${'---|'.repeat(types.length + 4)}`];
  const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(2));
  for (const { seed, run } of runs) {
    const cells = types.map((t) => {
      const s = run.evaluation.byType[t];
      const met = typeMet(t, s);
      const text = `${fmt(s.precision)} / ${fmt(s.recall)} (${s.labels})`;
      return met === false ? `**${text}**` : text;
    });
    const c = countCauses(run);
    lines.push(
      `| ${seed} | ${cells.join(' | ')} | ${fmt(run.evaluation.overall.falseAlarmsPerCleanSensorDay)} | ${c.fault_end} | ${c.after_fault} / ${c.inside_other_fault} / ${c.clean} |`,
    );
  }
  const range = (pick: (r: QualityRun) => number | null) => {
    const values = runs.map(({ run }) => pick(run)).filter((v): v is number => v !== null);
    return values.length === 0 ? '-' : `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
  };
  lines.push(
    `| range | ${types
      .map((t) => `${range((r) => r.evaluation.byType[t].precision)} / ${range((r) => r.evaluation.byType[t].recall)}`)
      .join(' | ')} | ${range((r) => r.evaluation.overall.falseAlarmsPerCleanSensorDay)} | | |`,
  );
  lines.push(
    '',
    `Targets: P and R ≥ ${types.map((t) => `${qualityTargets[t]} (${t})`).join(', ')}; ≤ ${falseAlarmTarget} false alarms per clean sensor-day; ` +
      `${types.includes('drift') ? 'drift and neighbour disagreement from the daily batch (runDailyRollup) over the checked readings' : `${batchTypes.join(' and ')}: not measured here (hourly batch)`}. (n) = labels; bold = target missed.`,
  );
  return lines.join('\n');
}

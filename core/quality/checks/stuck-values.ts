import type { MeasuredVariable } from '../../air-quality/reading';
import { hourMs, isoHour, type QualityContext, type TimedRow } from '../context';
import { ViolationLog, type QualityCheck, type QualityStatus } from '../report';

/**
 * Variables that are truly 0 for long stretches, so a run of zeros is physics, not a stuck source: UV at
 * night, Saharan dust on most days, and pollen outside each plant's season. Only their zeros are exempt: the
 * same non-zero value repeated is as suspicious for them as for any other variable.
 */
export const zeroRunExemptVariables: readonly MeasuredVariable[] = [
  'uv_index',
  'uv_index_clear_sky',
  'dust',
  'alder_pollen',
  'birch_pollen',
  'grass_pollen',
  'mugwort_pollen',
  'olive_pollen',
  'ragweed_pollen',
];

/**
 * The variables watched for stuck values: the pollutants the indices and the models are built from, which
 * the source reports at 0.1 µg/m³ (UV at 0.05). Dust, ammonia, aerosol depth and pollen come in whole units
 * or coarse steps, so the same value for a day is ordinary there (dust = 1 µg/m³ for 42 h at Marseille in
 * the bundled data) and says nothing about a stuck feed.
 */
export const stuckWatchedVariables: readonly MeasuredVariable[] = [
  'pm2_5',
  'pm10',
  'carbon_monoxide',
  'nitrogen_dioxide',
  'sulphur_dioxide',
  'ozone',
  'uv_index',
];

interface Run {
  variable: MeasuredVariable;
  start: TimedRow;
  hours: number;
  value: number;
}

/** Runs of one value over consecutive hours at one location. A null or a missing hour ends a run. */
function runsOf(series: readonly TimedRow[], variable: MeasuredVariable, minHours: number): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  let previousHour = Number.NaN;
  const close = (): void => {
    if (current && current.hours >= minHours) runs.push(current);
    current = undefined;
  };
  for (const entry of series) {
    const value = entry.row.values[variable] ?? null;
    const continues = current !== undefined && entry.hour === previousHour + hourMs && value === current.value;
    previousHour = entry.hour;
    if (continues && current) {
      current.hours++;
      continue;
    }
    close();
    const exempt = value === 0 && zeroRunExemptVariables.includes(variable);
    if (value !== null && !exempt) current = { variable, start: entry, hours: 1, value };
  }
  close();
  return runs;
}

export function checkStuckValues(context: QualityContext): QualityCheck {
  const { stuckRunWarnHours, stuckRunFailHours } = context.thresholds;
  const log = new ViolationLog();
  let status: QualityStatus = 'pass';
  let longest: (Run & { locationId: string }) | undefined;
  const runsPerVariable = new Map<MeasuredVariable, number>();

  for (const [locationId, series] of context.hoursByLocation) {
    for (const variable of stuckWatchedVariables) {
      for (const run of runsOf(series, variable, stuckRunWarnHours)) {
        const { observedAt } = run.start.row;
        log.add({ locationId, observedAt, variable, value: run.value });
        runsPerVariable.set(variable, (runsPerVariable.get(variable) ?? 0) + 1);
        if (run.hours >= stuckRunFailHours) status = 'fail';
        else if (status === 'pass') status = 'warn';
        if (longest === undefined || run.hours > longest.hours) longest = { ...run, locationId };
      }
    }
  }

  const rule = `runs of ≥ ${stuckRunWarnHours} identical hourly values warn, ≥ ${stuckRunFailHours} fail; zeros of ${stuckWatchedVariables.filter((v) => zeroRunExemptVariables.includes(v)).join(', ')} exempt`;
  // Which variables repeat tells a stuck feed (all of them) from a coarse one (one low-valued gas).
  const perVariable = [...runsPerVariable]
    .sort((a, b) => b[1] - a[1])
    .map(([variable, count]) => `${variable} ${count}`)
    .join(', ');
  const found = longest
    ? `${log.count} run(s) (${perVariable}); longest ${longest.variable} = ${longest.value} at ${longest.locationId} for ${longest.hours} h from ${isoHour(longest.start.hour)}`
    : 'no run';
  return { name: 'stuck_values', status, detail: `${found} (${rule})`, violations: log.count, samples: log.samples };
}

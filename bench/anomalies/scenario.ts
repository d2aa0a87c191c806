import { readFileSync } from 'node:fs';

import { bundledExports } from '../../config/bundled-data';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import { faultMix, type FaultMix, type SimulationOptionsInput } from '../../core/sensors/simulator/options';
import { referenceFromReadings, type ReferenceSeries } from '../../core/sensors/simulator/reference';
import { simulate, type Simulation } from '../../core/sensors/simulator/simulate';

/**
 * The benchmark's scenario: simulated sensors around Lyon from the bundled 2024 export (Air quality data
 * by Open-Meteo.com (CAMS), CC BY 4.0), every option of the simulator at its default unless given.
 */

/** Mid-January 2024: a week of winter PM episodes, well inside the bundled year. */
export const defaultStart = '2024-01-15T00:00:00Z';

let lyon: ReferenceSeries | undefined;

/** The Lyon reference series (parsed once per process). */
export function lyonReference(): ReferenceSeries {
  lyon ??= referenceFromReadings(
    { id: 'lyon', latitude: 45.764, longitude: 4.8357 },
    parseOpenMeteoCsv(readFileSync(bundledExports.lyon2024, 'utf8')),
  );
  return lyon;
}

/**
 * A fault mix from the command line: a whole `FaultMix` (`{"kind":"rates",…}` or `{"kind":"schedule",…}`),
 * or just rates per sensor-day (`{"spike":0.5,"step":0.1}`), the others at their defaults.
 */
export function parseFaultMix(text: string): FaultMix {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`--mix: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const asMix =
    typeof json === 'object' && json !== null && 'kind' in json ? json : { kind: 'rates', perSensorDay: json };
  const parsed = faultMix.safeParse(asMix);
  if (!parsed.success)
    throw new Error(`--mix: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface ScenarioArgs {
  seed: number;
  sensors: number;
  days: number;
  intervalSeconds: number;
  start: string;
  mix?: FaultMix;
  prefix?: string;
}

export function scenarioOptions(args: ScenarioArgs): SimulationOptionsInput {
  return {
    seed: args.seed,
    sensors: args.sensors,
    days: args.days,
    intervalSeconds: args.intervalSeconds,
    start: args.start,
    ...(args.prefix === undefined ? {} : { sensorIdPrefix: args.prefix }),
    ...(args.mix === undefined ? {} : { faults: args.mix }),
  };
}

export function simulateScenario(args: ScenarioArgs): Simulation {
  return simulate(scenarioOptions(args), [lyonReference()]);
}

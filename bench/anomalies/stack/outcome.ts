import { randomBytes } from 'node:crypto';

import type pg from 'pg';

import type { Simulation } from '../../../core/sensors/simulator/simulate';
import { runQuality } from '../quality';

/** A phase's own sensors: ids under a fresh prefix, so that what it stored is found by that prefix. */
export const uniquePrefix = (letter: string) => `${letter}${randomBytes(3).toString('hex').toUpperCase()}`;

/** What the detector core finds over a simulation, routed as the broker routes it (as in quality mode). */
export function expected(simulation: Simulation, thresholds: unknown) {
  // The process runs the stream checks only; the daily batch is another workflow.
  const run = runQuality(simulation, { thresholds, rollup: false });
  const d = run.delivery;
  return {
    readings: d.checkedReadings,
    deadLetters: d.malformed.setAside + d.late.setAside + d.futureRefused,
    anomalies: new Set(run.streamAnomalies.map((a) => `${a.id} ${a.type}`)),
  };
}

export interface Stored {
  readings: number;
  anomalies: Set<string>;
}

export async function stored(pool: pg.Pool, prefix: string): Promise<Stored> {
  const like = `${prefix}\\_%`;
  const readings = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM sensor_readings WHERE sensor_id LIKE $1`,
    [like],
  );
  const anomalies = await pool.query<{ id: string; type: string }>(
    `SELECT id, type FROM sensor_anomalies WHERE sensor_id LIKE $1`,
    [like],
  );
  return { readings: readings.rows[0]?.n ?? 0, anomalies: new Set(anomalies.rows.map((a) => `${a.id} ${a.type}`)) };
}

export const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

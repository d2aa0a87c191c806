import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { Partitioners, type Producer } from 'kafkajs';
import type pg from 'pg';

import { createKafka } from '../adapters/kafka/client';
import { createLogger } from '../adapters/logger';
import { latestStoredHour } from '../adapters/postgres/latest-history';
import { findLocations } from '../adapters/postgres/locations';
import { loadReadingHistory } from '../adapters/postgres/readings-history';
import type { Config } from '../config';
import { AppError } from '../core/errors';
import { labelsToJsonLines } from '../core/sensors/simulator/labels';
import { simulationOptions, type SimulationOptionsInput } from '../core/sensors/simulator/options';
import { referenceFromReadings, type ReferenceSeries } from '../core/sensors/simulator/reference';
import { simulate, type Simulation } from '../core/sensors/simulator/simulate';
import { topics } from '../core/topics';

import { locationIdsOf, withPool } from './locations';

type Values = Record<string, string | boolean | undefined>;

const hourMs = 3_600_000;
const sendBatch = 500;

const numberOption = (values: Values, name: string): number | undefined => {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const parsed = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(parsed)) throw new AppError('INVALID_OPTION', `--${name}: a number, got "${String(raw)}"`);
  return parsed;
};

/** The simulation options of the command line, checked by the simulator's own schema (errors name the flag). */
export function simulationInput(values: Values): SimulationOptionsInput {
  const flags: Record<string, string> = { sensors: 'sensors', days: 'days', intervalSeconds: 'interval', seed: 'seed' };
  const input = {
    ...(numberOption(values, 'sensors') !== undefined ? { sensors: numberOption(values, 'sensors') } : {}),
    ...(numberOption(values, 'days') !== undefined ? { days: numberOption(values, 'days') } : {}),
    ...(numberOption(values, 'interval') !== undefined ? { intervalSeconds: numberOption(values, 'interval') } : {}),
    ...(numberOption(values, 'seed') !== undefined ? { seed: numberOption(values, 'seed') } : {}),
    ...(typeof values.start === 'string' ? { start: values.start } : {}),
  };
  const parsed = simulationOptions.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `--${flags[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`);
    throw new AppError('INVALID_OPTION', `cannot simulate: ${problems.join('; ')}`, { httpStatus: 400 });
  }
  return input;
}

/**
 * The real hourly series the sensors are derived from: each location's stored readings over the window
 * (from `--start`, else the last `days` stored), so a simulation replays the platform's own data.
 */
export async function references(pool: pg.Pool, locationIds: string[], input: SimulationOptionsInput) {
  const days = input.days ?? simulationOptions.parse({}).days;
  const latest = await Promise.all(locationIds.map((id) => latestStoredHour(pool, id)));
  const withData = locationIds.filter((_, i) => latest[i] !== undefined);
  if (withData.length === 0) {
    throw new AppError('SIMULATION_REFERENCE', `no stored readings for ${locationIds.join(', ')}: backfill first`);
  }
  const end = Math.min(...withData.map((id) => Date.parse(latest[locationIds.indexOf(id)] as string)));
  const start = input.start ? Date.parse(input.start) : Math.floor((end - days * 24 * hourMs) / hourMs) * hourMs;
  const until = new Date(start + Math.ceil(days * 24 + 2) * hourMs).toISOString();
  const series: ReferenceSeries[] = [];
  for (const location of await findLocations(pool, withData)) {
    const readings = await loadReadingHistory(pool, location.id, new Date(start).toISOString(), { hours: 0, until });
    if (readings.length >= 2) series.push(referenceFromReadings(location, readings));
  }
  return { series, start: new Date(start).toISOString() };
}

/** Produces the stream in send order, paced by `speed` (simulated seconds per real second; 0: at once). */
export async function produce(
  producer: Producer,
  simulation: Simulation,
  speed: number,
  progress: (sent: number) => void,
): Promise<void> {
  const started = Date.now();
  const { messages } = simulation;
  for (let i = 0; i < messages.length;) {
    const due = speed > 0 ? started + (messages[i]?.sendOffsetMs ?? 0) / speed : 0;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, due - Date.now())));
    let j = i;
    while (j < messages.length && j - i < sendBatch) {
      const next = messages[j];
      if (!next || (speed > 0 && started + next.sendOffsetMs / speed > Date.now())) break;
      j += 1;
    }
    if (j === i) continue;
    await producer.send({
      topic: topics.sensorsRaw,
      messages: messages.slice(i, j).map((m) => ({ key: m.key, value: m.value })),
    });
    i = j;
    progress(i);
  }
}

/**
 * `airq sensors simulate`: a seeded network of low-cost sensors around the locations, derived from their
 * stored hourly data, produced to `sensors.raw` with labelled faults; the labels go to a JSON-lines file
 * for evaluation (the detector never reads them).
 */
export async function simulateSensors(config: Config, values: Values): Promise<number> {
  const input = simulationInput(values);
  const speed = numberOption(values, 'speed') ?? 0;
  if (speed < 0) throw new AppError('INVALID_OPTION', '--speed: 0 (as fast as possible) or more');
  const locationIds = await locationIdsOf(config, values);
  const { series, start } = await withPool(config, (pool) => references(pool, locationIds, input));
  const simulation = simulate({ ...input, start }, series);
  const labelsFile = path.resolve(
    typeof values.labels === 'string' ? values.labels : `sensor-labels-${simulation.options.seed}.jsonl`,
  );
  writeFileSync(labelsFile, labelsToJsonLines(simulation.labels));
  const log = values.json === true ? (text: string) => console.error(text) : (text: string) => console.log(text);
  log(
    `simulating ${simulation.sensors.length} sensors around ${series.map((s) => s.locationId).join(', ')}, ` +
      `${simulation.window.start} .. ${simulation.window.end} every ${simulation.window.intervalSeconds} s: ` +
      `${simulation.messages.length} messages, ${simulation.labels.length} labelled faults → ${labelsFile}`,
  );
  if (values['dry-run'] !== true) {
    // Kafka client chatter (reconnects) goes to stderr at warn; the progress lines are the output.
    const kafka = createKafka(config, createLogger('airq-simulate', 'warn', process.stderr));
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    let reported = 0;
    try {
      await produce(producer, simulation, speed, (sent) => {
        if (sent - reported >= 10_000 || sent === simulation.messages.length) {
          reported = sent;
          log(`  produced ${sent}/${simulation.messages.length} to ${topics.sensorsRaw}`);
        }
      });
    } finally {
      await producer.disconnect();
    }
  }
  if (values.json === true) {
    console.log(
      JSON.stringify(
        { window: simulation.window, sensors: simulation.sensors.length, labelsFile, summary: simulation.summary },
        null,
        2,
      ),
    );
  }
  return 0;
}

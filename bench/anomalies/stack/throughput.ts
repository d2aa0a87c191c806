import { loadavg } from 'node:os';

import type { Admin, Producer } from 'kafkajs';
import type pg from 'pg';

import { simulate } from '../../../core/sensors/simulator/simulate';
import { topics } from '../../../core/topics';
import type { StackLayout } from '../../../stack/layout';
import { lyonReference, scenarioOptions, type ScenarioArgs } from '../scenario';

import { endOffset, produceAll } from './kafka';
import type { StackOptions } from './options';
import { expected, sameSet, stored, uniquePrefix } from './outcome';
import { cpuUsed, detectorPid, rssMiB } from './process-usage';
import { until } from './waiting';

/**
 * Throughput: the whole scenario as fast as the producer goes, until stored and published; with
 * `afterProduce`, the same volume as a backlog, produced while the detector is stopped and then drained.
 */
export async function throughput(
  pool: pg.Pool,
  admin: Admin,
  producer: Producer,
  layout: StackLayout,
  scenario: ScenarioArgs,
  options: StackOptions,
  start: string,
  afterProduce?: () => Promise<number>,
) {
  const prefix = uniquePrefix(afterProduce ? 'B' : 'T');
  const simulation = simulate(
    scenarioOptions({ ...scenario, sensors: options.throughputSensors, days: options.throughputDays, start, prefix }),
    [lyonReference()],
  );
  const want = expected(simulation, JSON.parse(process.env.SENSOR_DETECTOR_THRESHOLDS ?? '{}'));
  const processedBefore = await endOffset(admin, topics.sensorsProcessed);
  const lettersBefore = await endOffset(admin, topics.sensorsDeadLetter);
  const cpuAtProduce = cpuUsed(layout);
  const t0 = performance.now();
  await produceAll(producer, simulation);
  const produced = performance.now();
  const from = afterProduce ? await afterProduce() : t0;
  // The backlog's detector is a new process: count from its start (the producer left PostgreSQL idle).
  const cpuBefore = afterProduce ? cpuUsed(layout) : cpuAtProduce;
  let firstStored: number | undefined;
  let last = { n: -1, at: performance.now() };
  const storedAt = await until(
    'throughput: readings stored',
    async () => {
      const n = (await stored(pool, prefix)).readings;
      if (n > 0 && firstStored === undefined) firstStored = performance.now();
      if (n !== last.n) last = { n, at: performance.now() };
      else if (performance.now() - last.at > 60_000) {
        const letters = (await endOffset(admin, topics.sensorsDeadLetter)) - lettersBefore;
        throw new Error(`throughput: stuck at ${n} of ${want.readings} readings stored (${letters} dead letters)`);
      }
      return n >= want.readings;
    },
    600_000,
  );
  const publishedAt = await until(
    'throughput: sensors.processed',
    async () => (await endOffset(admin, topics.sensorsProcessed)) - processedBefore >= want.readings,
    600_000,
  );
  const got = await stored(pool, prefix);
  const deadLetters = (await endOffset(admin, topics.sensorsDeadLetter)) - lettersBefore;
  const pid = detectorPid(layout);
  const memory = pid === undefined ? undefined : rssMiB(pid);
  const cpuAfter = cpuUsed(layout);
  const cpu = { detector: cpuAfter.detector - cpuBefore.detector, postgres: cpuAfter.postgres - cpuBefore.postgres };
  const end = Math.max(storedAt, publishedAt);
  const seconds = (end - from) / 1000;
  const result = {
    kind: afterProduce ? 'backlog (produced while stopped, then started)' : 'produce and detect together',
    sensors: simulation.sensors.length,
    messages: simulation.messages.length,
    readingsStored: got.readings,
    readingsExpected: want.readings,
    produceSeconds: (produced - t0) / 1000,
    storedSeconds: (storedAt - from) / 1000,
    publishedSeconds: (publishedAt - from) / 1000,
    fromFirstStoredSeconds: firstStored === undefined ? null : (end - firstStored) / 1000,
    readingsPerSecond: want.readings / seconds,
    messagesPerSecond: simulation.messages.length / seconds,
    deadLetters,
    deadLettersExpected: want.deadLetters,
    anomalies: got.anomalies.size,
    anomaliesAsCore: sameSet(got.anomalies, want.anomalies),
    detectorRssMiB: memory,
    cpuSeconds: cpu,
    loadAfter: loadavg()[0],
  };
  const perThousand = (seconds: number) => ((seconds * 1000) / want.readings) * 1000;
  console.log(
    `- ${result.kind}: ${result.messages} messages of ${result.sensors} sensors (${result.readingsExpected} readings to store): ` +
      `produced in ${result.produceSeconds.toFixed(1)} s; all stored after ${result.storedSeconds.toFixed(1)} s, all on sensors.processed after ${result.publishedSeconds.toFixed(1)} s ` +
      `→ **${Math.round(result.readingsPerSecond)} readings/s** (${Math.round(result.messagesPerSecond)} messages/s)` +
      `${result.fromFirstStoredSeconds === null ? '' : `; ${result.fromFirstStoredSeconds.toFixed(1)} s from the first row stored`}; ` +
      `stored ${result.readingsStored}/${result.readingsExpected}, ${deadLetters}/${want.deadLetters} dead letters (sensors.dlq, may lag); ${result.anomalies} anomalies, ${result.anomaliesAsCore ? 'the same set as the core' : '**not the set the core finds**'}; ` +
      `detector RSS ${memory ? `${memory.rss.toFixed(0)} MiB (peak ${memory.peak.toFixed(0)})` : '?'}; ` +
      `CPU: detector ${cpu.detector.toFixed(1)} s, PostgreSQL ${cpu.postgres.toFixed(1)} s ` +
      `(${perThousand(cpu.detector).toFixed(0)} + ${perThousand(cpu.postgres).toFixed(0)} ms per 1,000 readings); load ${loadavg()[0]?.toFixed(1)}`,
  );
  return { result, endsAt: simulation.window.end };
}

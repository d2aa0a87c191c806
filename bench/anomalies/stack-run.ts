import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';

import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import type pg from 'pg';

import { createPool } from '../../adapters/postgres/pool';
import { loadConfig, type Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import { sensorAnomaly, type AnomalyType } from '../../core/sensors/anomaly';
import { simulationOptions } from '../../core/sensors/simulator/options';
import type { Simulation } from '../../core/sensors/simulator/simulate';
import { simulate } from '../../core/sensors/simulator/simulate';
import { topics } from '../../core/topics';
import { appProcesses, type AppProcess } from '../../stack/app-processes';
import { stackLayout, type StackLayout } from '../../stack/layout';
import { runningPid, startDetached, stopDetached } from '../../stack/processes';
import { readSupervisedState, supervisorStateFile } from '../../stack/supervisor/state';
import { testStackPorts } from '../../test/integration/test-env';
import { detectorGroupId } from '../../workers/detector/processor';

import { describeStages, scrapeDetector } from './detector-stages';
import { runQuality, scenarioThresholds } from './quality';
import { decidedOnArrival, shiftEventTimes, summarise, type LatencySummary } from './real-time';
import { lyonReference, scenarioOptions, type ScenarioArgs } from './scenario';

/**
 * The detector process on a stack of its own: ports = the test stack's + AQI_TEST_PORT_OFFSET (700 unless
 * set), a scratch state directory (removed at the end), the shared tool installs. The stack's own
 * supervised detector consumes `sensors.raw` as in production; this process produces, watches PostgreSQL
 * and the topics, and compares what was stored with the detector core run here on the same messages.
 *
 * Each phase uses sensors of its own (a fresh prefix) and event times after the previous phase's: the
 * watermark is per partition, shared by every sensor of it.
 */

export const stackPhases = ['throughput', 'backlog', 'latency', 'two'] as const;
export type StackPhase = (typeof stackPhases)[number];

export interface StackOptions {
  phases: readonly StackPhase[];
  throughputSensors: number;
  throughputDays: number;
  rate: number;
  latencySeconds: number;
  /** `real`: event times are wall times (1 reading a second per sensor); `simulated`: the scenario's, sped up. */
  latencyClock: 'real' | 'simulated';
  thresholds: unknown;
  /** Copy the stack's logs here before the scratch directory is removed. */
  keepLogs?: string;
}

const offset = Number(process.env.AQI_TEST_PORT_OFFSET ?? 700);

function benchEnv(scratch: string, thresholds: string): NodeJS.ProcessEnv {
  if (!Number.isInteger(offset) || offset < 0 || offset > 9000) {
    throw new Error(
      `AQI_TEST_PORT_OFFSET must be an integer from 0 to 9000, got "${process.env.AQI_TEST_PORT_OFFSET}"`,
    );
  }
  return {
    ...process.env,
    AQI_STATE_DIR: scratch,
    LOG_LEVEL: 'warn',
    // The test stack's ports shifted by the offset.
    ...testStackPorts(offset),
    AQI_SOURCE: 'replay',
    TEMPORAL_ADDRESS: '',
    TEMPORAL_UI_URL: '',
    POSTGRES_HOST: '',
    KAFKA_BROKERS: '',
    MLFLOW_TRACKING_URI: '',
    API_PUBLIC_URL: '',
    REPLAY_URL: '',
    SENSOR_DETECTOR_THRESHOLDS: thresholds,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const messageKey = (sensorId: string, time: string) => `${sensorId}|${Date.parse(time)}`;
const uniquePrefix = (letter: string) => `${letter}${randomBytes(3).toString('hex').toUpperCase()}`;
const dayMs = 86_400_000;

/** What the detector core finds over a simulation, routed as the broker routes it (as in quality mode). */
function expected(simulation: Simulation, thresholds: unknown) {
  // The process runs the stream checks only; the daily batch is another workflow.
  const run = runQuality(simulation, { thresholds, rollup: false });
  const d = run.delivery;
  return {
    readings: d.checkedReadings,
    deadLetters: d.malformed.setAside + d.late.setAside + d.futureRefused,
    anomalies: new Set(run.streamAnomalies.map((a) => `${a.id} ${a.type}`)),
  };
}

interface Stored {
  readings: number;
  anomalies: Set<string>;
}

async function stored(pool: pg.Pool, prefix: string): Promise<Stored> {
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

async function endOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/**
 * Produces in send order, one send at a time: two sends in flight may land in either order, and a reading
 * overtaken by thousands of others is older than the allowed lateness when it arrives (refused as late).
 */
async function produceAll(producer: Producer, simulation: Simulation): Promise<void> {
  await produceInOrder(producer, simulation.messages);
}

async function produceInOrder(producer: Producer, messages: readonly { key: string; value: string }[]) {
  const batch = 5000;
  for (let i = 0; i < messages.length; i += batch) {
    const slice = messages.slice(i, i + batch);
    await producer.send({ topic: topics.sensorsRaw, messages: slice.map((m) => ({ key: m.key, value: m.value })) });
  }
}

/** Waits until `done` holds, polling; returns the wall time it first held, or throws after `timeoutMs`. */
async function until(what: string, done: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return performance.now();
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

function rssMiB(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(field)) ?? '')?.[1]);
    return { rss: kb('VmRSS:') / 1024, peak: kb('VmHWM:') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process (`withChildren`: and of its children it has reaped), from /proc; clock ticks at 100/s. */
function cpuSeconds(pid: number, withChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // utime, stime, cutime, cstime are fields 14-17 of /proc/<pid>/stat (here from the state, field 3).
    const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
    return (utime + stime + (withChildren ? cutime + cstime : 0)) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used so far by the detector process and by PostgreSQL (the postmaster, its live backends
 * and those it has reaped): the work a phase costs whatever else the machine runs.
 */
function cpuUsed(layout: StackLayout): { detector: number; postgres: number } {
  const pid = detectorPid(layout);
  let postgres = 0;
  try {
    const postmaster = Number(
      readFileSync(path.join(layout.dataDir('postgres'), 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    postgres = cpuSeconds(postmaster, true);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster)
          postgres += cpuSeconds(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    postgres = Number.NaN;
  }
  return { detector: pid === undefined ? Number.NaN : cpuSeconds(pid), postgres };
}

function detectorPid(layout: StackLayout): number | undefined {
  return readSupervisedState(supervisorStateFile(layout.runDir, 'detector'))?.pid;
}

async function groupMembers(admin: Admin): Promise<{ state: string; members: number }> {
  const { groups } = await admin.describeGroups([detectorGroupId]);
  return { state: groups[0]?.state ?? 'Unknown', members: groups[0]?.members.length ?? 0 };
}

/** The simulator's allowed lateness (its default unless the options change it): late readings are judged by it. */
function lyonProbeLateness(): number {
  return simulationOptions.parse({}).delivery.allowedLatenessSeconds;
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** Starts the stack, runs the phases, stops and removes it; prints Markdown lines. */
export async function stackReport(scenario: ScenarioArgs, options: StackOptions) {
  const scratch = mkdtempSync(path.join('/var/tmp', 'aqi-bench-anomalies-'));
  const probe = simulate(scenarioOptions({ ...scenario, days: 0.01 }), [lyonReference()]);
  const thresholdsJson = JSON.stringify({
    ...(typeof options.thresholds === 'object' && options.thresholds !== null ? options.thresholds : {}),
    expectedIntervalSeconds: scenario.intervalSeconds,
    allowedLatenessSeconds: probe.options.delivery.allowedLatenessSeconds,
  });
  scenarioThresholds(probe, JSON.parse(thresholdsJson)); // refuse bad overrides before starting anything
  const env = benchEnv(scratch, thresholdsJson);
  const config = loadConfig(env);
  // The detector started below inherits this environment: point it at the bench stack.
  Object.assign(process.env, env);
  const layout = stackLayout(config);
  const detector = appProcesses(config, layout).find((a) => a.name === 'detector') as AppProcess;
  const stack = (command: string) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'stack', 'cli.ts'), command], {
      env,
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`stack ${command} failed`);
  };
  const results: Record<string, unknown> = { offset, load: { before: loadavg() } };
  console.log(
    `\n## Detector process on a stack (ports +${offset}, state ${scratch}); ${cpus().length} cores, load before ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  try {
    stack('up');
    await detector.start();
    await phases(config, layout, detector, scenario, options, results);
  } finally {
    await stopDetached(layout, 'detector2', 25_000).catch(() => undefined);
    await detector.stop().catch(() => undefined);
    try {
      stack('down');
    } finally {
      if (options.keepLogs !== undefined) cpSync(layout.logsDir, options.keepLogs, { recursive: true });
      const relocated = path.join(scratch, 'postgres', 'location');
      if (existsSync(relocated)) rmSync(readFileSync(relocated, 'utf8').trim(), { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return results;
}

async function phases(
  config: Config,
  layout: StackLayout,
  detector: AppProcess,
  scenario: ScenarioArgs,
  options: StackOptions,
  results: Record<string, unknown>,
) {
  const kafka = new Kafka({ clientId: 'bench-anomalies', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const pool = createPool(config, { max: 2, applicationName: 'bench-anomalies' });
  await admin.connect();
  await producer.connect();
  try {
    // Each phase starts a day after the previous one ended (event time).
    let start = scenario.start;
    const next = (endsAt: string) => {
      start = new Date(Date.parse(endsAt) + dayMs).toISOString();
    };
    const has = (phase: StackPhase) => options.phases.includes(phase);
    // 1. Throughput: the whole scenario as fast as the producer goes, until stored and published.
    if (has('throughput')) {
      const run = await throughput(pool, admin, producer, layout, scenario, options, start);
      results.throughput = run.result;
      next(run.endsAt);
    }
    // 1b. The same volume as a backlog: produced while the detector is stopped, then drained.
    if (has('backlog')) {
      await detector.stop();
      const run = await throughput(pool, admin, producer, layout, scenario, options, start, async () => {
        const started = performance.now();
        await detector.start();
        return started;
      });
      results.backlog = run.result;
      next(run.endsAt);
    }
    // 2. Latency under a steady rate. In real time its event times are now: it goes last, as no earlier
    //    event time would be taken after it (the watermark is per partition).
    const realTime = options.latencyClock === 'real';
    if (has('latency') && !realTime) {
      const run = await latency(kafka, pool, producer, scenario, options, start);
      results.latency = run.result;
      next(run.endsAt);
    }
    // 3. Two detectors in one group against the core (what one uninterrupted detector finds).
    if (has('two')) results.two = await twoDetectors(admin, pool, producer, layout, scenario, start);
    if (has('latency') && realTime)
      results.latency = (await latency(kafka, pool, producer, scenario, options, start)).result;
    results.load = { ...(results.load as object), after: loadavg() };
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), pool.end()]);
  }
}

async function throughput(
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

async function latency(
  kafka: Kafka,
  pool: pg.Pool,
  producer: Producer,
  scenario: ScenarioArgs,
  options: StackOptions,
  start: string,
) {
  const prefix = uniquePrefix('L');
  const lateness = lyonProbeLateness();
  const real = options.latencyClock === 'real';
  // Real time: a reading a second from `rate` sensors, so the simulated clock is the wall clock.
  const intervalSeconds = real ? 1 : scenario.intervalSeconds;
  const sensors = real ? Math.round(options.rate * intervalSeconds) : scenario.sensors;
  // Simulated seconds per wall second that make `rate` readings a second (1 in real time).
  const speed = (options.rate * intervalSeconds) / sensors;
  // Enough readings for the spike check to judge (hampelMinReadings, 30) before any fault.
  const warmupMinutes = Math.max(1, Math.ceil((40 * intervalSeconds) / 60));
  const days = (options.latencySeconds * speed) / 86_400 + warmupMinutes / 1440;
  // Per sensor-day: in real time the run is minutes long, so the rates are high to give a few hundred faults.
  const perSensorDay = real ? { spike: 30, out_of_range: 30 } : { spike: 4, out_of_range: 2 };
  const simulation = simulate(
    {
      ...scenarioOptions({ ...scenario, sensors, intervalSeconds, start, prefix, days }),
      faults: {
        kind: 'rates',
        perSensorDay: {
          ...perSensorDay,
          flatline: 0,
          dropout: 0,
          step: 0,
          drift: 0,
          neighbour_disagreement: 0,
          duplicate: 0,
          late: 0,
          malformed: 0,
        },
        cleanSensorFraction: 0,
      },
      // A spike needs the allowed lateness of later readings after it to be released: simulated, none in the
      // last minutes; in real time out-of-range faults run to the end (they are decided on arrival), and the
      // spikes of the last lateness are never released within the run, so not timed.
      spacing: { warmupMinutes, minGapMinutes: real ? 1 : Math.ceil(lateness / 60) + 1, deliveryGapMinutes: 5 },
    },
    [lyonReference()],
  );
  const sentAt = new Map<string, number>();
  const firstSeen = new Map<string, { at: number; detectedAt: string; sensorId: string; type: AnomalyType }>();
  const consumer: Consumer = kafka.consumer({ groupId: `bench-latency-${prefix}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.sensorsAnomalies], fromBeginning: false });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const at = performance.now();
      const parsed = sensorAnomaly.safeParse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
      if (!parsed.success || !parsed.data.sensor_id.startsWith(`${prefix}_`)) return;
      const a = parsed.data;
      if (!firstSeen.has(a.id))
        firstSeen.set(a.id, { at, detectedAt: a.detected_at, sensorId: a.sensor_id, type: a.type });
    },
  });
  await until('latency: consumer joined', async () => joined, 60_000);
  await sleep(1000);
  // Warm-up readings at once (no faults in them), then the rest paced at `rate` by their send times. In real
  // time every event time is moved so that the paced part starts at `pacedFrom` (wall time), after the warm-up.
  const warmupMs = warmupMinutes * 60_000;
  const pacedFrom = Date.now() + 20_000;
  const shiftMs = real ? pacedFrom - (Date.parse(simulation.window.start) + warmupMs) : 0;
  const messages = real ? shiftEventTimes(simulation.messages, shiftMs) : simulation.messages;
  const firstPaced = messages.findIndex((m) => m.sendOffsetMs >= warmupMs);
  await produceInOrder(producer, messages.slice(0, firstPaced));
  if (real) await sleep(Math.max(0, pacedFrom - Date.now()));
  const metricsBefore = await scrapeDetector();
  const startLagMs = real ? Date.now() - pacedFrom : 0;
  const t0 = performance.now();
  const dueAt = (m: { sendOffsetMs: number }) => t0 + (m.sendOffsetMs - warmupMs) / speed;
  // The event span's end: messages sent after it are the simulation's out-of-order ones (up to half the
  // allowed lateness late), a tail that is not the steady rate.
  const spanEnd = t0 + (Date.parse(simulation.window.end) - Date.parse(simulation.window.start) - warmupMs) / speed;
  let inSpan = 0;
  let maxBehindMs = 0;
  let i = firstPaced;
  while (i < messages.length) {
    const now = performance.now();
    let j = i;
    while (j < messages.length && dueAt(messages[j] as { sendOffsetMs: number }) <= now) j++;
    if (j > i) {
      const slice = messages.slice(i, j);
      const at = performance.now();
      maxBehindMs = Math.max(maxBehindMs, at - dueAt(slice[0] as { sendOffsetMs: number }));
      if (at <= spanEnd) inSpan += slice.length;
      for (const m of slice) sentAt.set(messageKey(m.key, m.eventTime), at);
      await producer.send({ topic: topics.sensorsRaw, messages: slice.map((m) => ({ key: m.key, value: m.value })) });
      i = j;
    } else {
      await sleep(2);
    }
  }
  const producedSeconds = (performance.now() - t0) / 1000;
  const pacedMessages = messages.length - firstPaced;
  const signalLabels = simulation.labels.filter((l) => l.kind === 'signal');
  const readingsOf = (l: { start: string; end: string }) =>
    (Date.parse(l.end) - Date.parse(l.start)) / (intervalSeconds * 1000) + 1;
  // One anomaly per out-of-range reading, one per spike.
  const outOfRangeReadings = signalLabels
    .filter((l) => l.type === 'out_of_range')
    .reduce((n, l) => n + readingsOf(l), 0);
  const spikeLabels = signalLabels.filter((l) => l.type === 'spike').length;
  const seen = (onArrival: boolean) => [...firstSeen.values()].filter((a) => decidedOnArrival(a.type) === onArrival);
  await until(
    'latency: anomalies',
    async () => seen(true).length >= outOfRangeReadings && (real || seen(false).length >= spikeLabels),
    30_000,
  ).catch(() => undefined);
  await consumer.disconnect();
  const stages = describeStages(metricsBefore, await scrapeDetector());
  const latencyOf = (anomalies: { at: number; detectedAt: string; sensorId: string }[]) =>
    anomalies.flatMap((a) => {
      const sent = sentAt.get(messageKey(a.sensorId, a.detectedAt));
      return sent === undefined ? [] : [a.at - sent];
    });
  const got = await stored(pool, prefix);
  const snapshot = await pool.query<{ bytes: string | null }>(
    'SELECT sum(pg_column_size(snapshot))::bigint AS bytes FROM sensor_detector_state',
  );
  const result = {
    clock: options.latencyClock,
    sensors: simulation.sensors.length,
    intervalSeconds,
    rateAsked: options.rate,
    rateProduced: pacedMessages / producedSeconds,
    /** Messages sent per second within the event span (the steady rate), and how far sends fell behind schedule. */
    rateInSpan: inSpan / ((spanEnd - t0) / 1000),
    maxBehindMs,
    seconds: producedSeconds,
    speedUp: speed,
    startLagMs,
    latenessWallMs: (lateness * 1000) / speed,
    labels: signalLabels.length,
    outOfRangeReadings,
    spikeLabels,
    anomaliesSeen: firstSeen.size,
    anomaliesStored: got.anomalies.size,
    ...summarise(latencyOf([...firstSeen.values()])),
    onArrival: summarise(latencyOf(seen(true))),
    atRelease: summarise(latencyOf(seen(false))),
    storedSnapshotBytes: Number(snapshot.rows[0]?.bytes ?? 0),
  };
  const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
  const line = (what: string, s: LatencySummary) =>
    `${what}: ${s.measured} timed, **p50 ${ms(s.p50Ms)}, p95 ${ms(s.p95Ms)}**, max ${ms(s.maxMs)}`;
  const clock = real
    ? `real time: event times = wall time at send (${Math.round(startLagMs)} ms behind at the start), the ${lateness} s allowed lateness is ${lateness} s of wall time`
    : `simulated clock ×${Math.round(speed)}: the ${lateness} s allowed lateness of event time is ${result.latenessWallMs.toFixed(0)} ms of wall time`;
  console.log(
    `- latency (${clock}): ${result.sensors} sensors × a reading every ${intervalSeconds} s, ${Math.round(result.rateInSpan)} readings/s sent over the ${((spanEnd - t0) / 1000).toFixed(0)} s of event time (${Math.round(result.rateProduced)}/s over ${result.seconds.toFixed(0)} s with the out-of-order tail; sends at most ${Math.round(result.maxBehindMs)} ms behind schedule); ` +
      `${spikeLabels} spikes and ${signalLabels.length - spikeLabels} out-of-range faults (${outOfRangeReadings} readings), ${result.anomaliesSeen} anomalies seen on sensors.anomalies; ` +
      `produce of the reading that decides → anomaly message: ${line('decided on arrival (out of range)', result.onArrival)}; ` +
      `${line('decided at release (spikes, rate of change)', result.atRelease)}; stored detector snapshots ${(result.storedSnapshotBytes / 1e6).toFixed(1)} MB; ` +
      `${stages}; load ${loadavg()[0]?.toFixed(1)}`,
  );
  return { result, endsAt: simulation.window.end };
}

async function twoDetectors(
  admin: Admin,
  pool: pg.Pool,
  producer: Producer,
  layout: StackLayout,
  scenario: ScenarioArgs,
  start: string,
) {
  const prefix = uniquePrefix('G');
  startDetached(layout, {
    name: 'detector2',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(repoRoot, 'workers', 'sensor-detector.ts')],
    cwd: repoRoot,
  });
  await until(
    'two detectors: group of two',
    async () => {
      const group = await groupMembers(admin);
      return group.state === 'Stable' && group.members === 2 && runningPid(layout, 'detector2') !== undefined;
    },
    120_000,
    500,
  );
  const { groups } = await admin.describeGroups([detectorGroupId]);
  const simulation = simulate(scenarioOptions({ ...scenario, start, prefix }), [lyonReference()]);
  const want = expected(simulation, JSON.parse(process.env.SENSOR_DETECTOR_THRESHOLDS ?? '{}'));
  await produceAll(producer, simulation);
  await until('two detectors: stored', async () => (await stored(pool, prefix)).readings >= want.readings, 600_000);
  const got = await stored(pool, prefix);
  const group = await groupMembers(admin);
  const result = {
    members: groups[0]?.members.map((m) => m.clientHost) ?? [],
    groupAtEnd: group,
    readingsStored: got.readings,
    readingsExpected: want.readings,
    anomalies: got.anomalies.size,
    anomaliesExpected: want.anomalies.size,
    same: sameSet(got.anomalies, want.anomalies),
  };
  console.log(
    `- two detectors in group ${detectorGroupId} (${group.members} members, ${group.state}): ${result.readingsStored}/${result.readingsExpected} readings stored, ` +
      `${result.anomalies} anomalies, ${result.same ? '**the same set** as one uninterrupted core run' : `**not the same set** (core: ${result.anomaliesExpected})`}`,
  );
  await stopDetached(layout, 'detector2', 25_000);
  return result;
}

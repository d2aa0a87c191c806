import { randomBytes } from 'node:crypto';

import { Partitioners } from 'kafkajs';

import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { parseMetricSamples, sampleSum } from '../../adapters/metrics/samples';
import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { createDetectorState } from '../../core/sensors/detector/detector-state';
import { sensorIncidentWorkflowId } from '../../core/sensors/incident';
import { sensorDeadLetter } from '../../core/sensors/messages';
import type { ReferenceSeries } from '../../core/sensors/simulator/reference';
import { simulate, type Simulation } from '../../core/sensors/simulator/simulate';
import { resolveDetectorThresholds } from '../../core/sensors/thresholds';
import { topics } from '../../core/topics';
import { isAlive } from '../../stack/processes';
import { decodeSensorRecord } from '../../workers/detector/decode';
import { incidentAnomalyTypes } from '../../workers/detector/incidents';
import { type sensorIncident } from '../../workflows/sensor-incident';

import { sleep } from './drill-support';
import { readTopic } from './kafka-topics';
import { supervisedPid, testConfig } from './test-env';

/**
 * The detector process of the test stack on simulated sensors: what it stores, flags, dead-letters and
 * opens is compared with the detector core run in this process over the same messages, uninterrupted.
 * Each run uses sensors of its own and event times later than any other test's on the topic and ending
 * by now (the watermark is per partition, shared by every sensor of it; later ones would be refused as
 * from the future): the first the six hours to 7 h ago, the second the last six hours.
 */
jest.setTimeout(240_000);

const config = testConfig();
const pool = createPool(config, { max: 2 });
const kafka = createKafka(config, createLogger('test', 'error'));
const partitionOf = Partitioners.DefaultPartitioner();
const partitionCount = 3;

afterAll(async () => {
  await pool.end();
});

/** A smooth two-day reference around Lyon, starting at `firstHourMs`. */
function reference(firstHourMs: number): ReferenceSeries {
  const hours = 49;
  const column = (base: number) =>
    Array.from({ length: hours }, (_, h) => base * (1 + 0.4 * Math.sin((2 * Math.PI * h) / 24)));
  return {
    locationId: 'lyon',
    latitude: 45.76,
    longitude: 4.84,
    firstHourMs,
    hours,
    values: { pm2_5: column(12), pm10: column(20), no2: column(25) },
    derived: {},
  };
}

/**
 * Six hours of four sensors, starting after every earlier run; one flatline, 20 minutes of out-of-range values
 * (a `repeated_out_of_range`: more than a quarter of an hour's readings), malformed messages, a duplicate.
 */
function scenario(prefix: string, hoursAgo: number): Simulation {
  const firstHourMs = Math.floor((Date.now() - hoursAgo * 3600_000) / 3600_000) * 3600_000;
  const at = (minutes: number) => new Date(firstHourMs + minutes * 60_000).toISOString();
  return simulate(
    {
      seed: 11,
      sensors: 4,
      days: 0.25,
      intervalSeconds: 60,
      start: at(0),
      sensorIdPrefix: prefix,
      spacing: { warmupMinutes: 60 },
      faults: {
        kind: 'schedule',
        faults: [
          { sensor_id: `${prefix}_001`, type: 'flatline', measurement: 'pm2_5', start: at(150), minutes: 40 },
          { sensor_id: `${prefix}_003`, type: 'out_of_range', measurement: 'no2', start: at(240), minutes: 20 },
          { sensor_id: `${prefix}_002`, type: 'malformed', start: at(200) },
          { sensor_id: `${prefix}_003`, type: 'duplicate', start: at(210) },
        ],
      },
    },
    [reference(firstHourMs)],
  );
}

/** What the detector core finds over the same messages, partition by partition, without a stop. */
function expected(simulation: Simulation) {
  const state = new Map<number, ReturnType<typeof createDetectorState>>();
  const thresholds = resolveDetectorThresholds({});
  const readings: string[] = [];
  const anomalies = new Set<string>();
  const now = new Date().toISOString();
  for (const message of simulation.messages) {
    const decoded = decodeSensorRecord({ key: Buffer.from(message.key), value: Buffer.from(message.value) });
    if (!decoded.ok) continue;
    const partition = partitionOf({
      topic: topics.sensorsRaw,
      partitionMetadata: Array.from({ length: partitionCount }, (_, partitionId) => ({
        partitionId,
        leader: 1,
        partitionErrorCode: 0,
        replicas: [1],
        isr: [1],
      })),
      message: { key: message.key, value: message.value },
    });
    const detector = state.get(partition) ?? createDetectorState(thresholds);
    state.set(partition, detector);
    for (const output of detector.ingest([decoded.reading], { now })) {
      if (output.kind === 'reading')
        readings.push(`${output.reading.sensor_id}|${Date.parse(output.reading.timestamp)}`);
      if (output.kind === 'anomaly_opened' || output.kind === 'anomaly_closed') {
        anomalies.add(`${output.anomaly.id} ${output.anomaly.type}`);
      }
    }
  }
  return { readings: new Set(readings), anomalies };
}

async function produce(simulation: Simulation, from = 0, to = simulation.messages.length): Promise<void> {
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const messages = simulation.messages.slice(from, to);
    for (let i = 0; i < messages.length; i += 500) {
      await producer.send({
        topic: topics.sensorsRaw,
        messages: messages.slice(i, i + 500).map((m) => ({ key: m.key, value: m.value })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

async function stored(prefix: string) {
  const readings = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM sensor_readings WHERE sensor_id LIKE $1`,
    [`${prefix}\\_%`],
  );
  const anomalies = await pool.query<{ id: string; type: string }>(
    `SELECT id, type FROM sensor_anomalies WHERE sensor_id LIKE $1 ORDER BY id`,
    [`${prefix}\\_%`],
  );
  return { readings: Number(readings.rows[0]?.n), anomalies: new Set(anomalies.rows.map((a) => `${a.id} ${a.type}`)) };
}

async function untilStored(prefix: string, readings: number): Promise<Awaited<ReturnType<typeof stored>>> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const now = await stored(prefix);
    if (now.readings >= readings || Date.now() > deadline) return now;
    await sleep(1000);
  }
}

/** SIGKILLs the detector the stack supervises and waits until its supervisor has started a new one. */
async function killDetector(): Promise<void> {
  const pid = supervisedPid('detector');
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await sleep(500);
    const next = (() => {
      try {
        return supervisedPid('detector');
      } catch {
        return pid;
      }
    })();
    if (next !== pid && isAlive(next)) return;
  }
  throw new Error('the supervisor did not restart the detector within 60 s');
}

const uniquePrefix = () => `D${randomBytes(3).toString('hex').toUpperCase()}`;

/** The stack's detector's metrics (DETECTOR_METRICS_PORT), as samples. */
async function detectorMetrics() {
  const response = await fetch(`http://${config.bindHost}:${String(config.metrics.detectorPort)}/metrics`);
  expect(response.status).toBe(200);
  return parseMetricSamples(await response.text());
}

describe('the sensor detector process', () => {
  it('stores each reading once with its flags, finds exactly the anomalies of an uninterrupted run, dead-letters what it cannot read, and opens and closes the flatline and repeated out-of-range incidents', async () => {
    const prefix = uniquePrefix();
    const simulation = scenario(prefix, 13);
    const want = expected(simulation);
    const metricsBefore = await detectorMetrics();

    await produce(simulation);
    const got = await untilStored(prefix, want.readings.size);
    const metricsAfter = await detectorMetrics();

    expect(got.readings).toBe(want.readings.size);
    expect(got.anomalies).toEqual(want.anomalies);
    const flatline = [...got.anomalies].find((a) => a.endsWith(' flatline'));
    expect(flatline).toBeDefined();
    // Each out-of-range reading is an anomaly of its own, and the run of them one sustained fault.
    expect([...got.anomalies].filter((a) => a.endsWith(' out_of_range'))).toHaveLength(20);
    const repeated = [...got.anomalies].find((a) => a.endsWith(' repeated_out_of_range'));
    expect(repeated).toBeDefined();
    const letters = (await readTopic(kafka, kafka.admin(), topics.sensorsDeadLetter))
      .filter((m) => m.key.startsWith(prefix) || m.value.includes(prefix))
      .map((m) => sensorDeadLetter.parse(JSON.parse(m.value)));
    const malformed = simulation.messages.filter(
      (m) => !decodeSensorRecord({ key: Buffer.from(m.key), value: Buffer.from(m.value) }).ok,
    );
    expect(malformed.length).toBeGreaterThan(0);
    expect(letters.filter((l) => l.kind === 'malformed')).toHaveLength(malformed.length);
    expect(letters.every((l) => l.reason.length > 0)).toBe(true);
    // The process's Prometheus metrics counted the run (at least: a run before it may still be finishing).
    const counted = (name: string, labels: Record<string, string> = {}) =>
      sampleSum(metricsAfter, name, labels) - sampleSum(metricsBefore, name, labels);
    expect(counted('aqi_detector_records_total')).toBeGreaterThanOrEqual(simulation.messages.length);
    expect(counted('aqi_detector_readings_stored_total')).toBeGreaterThanOrEqual(want.readings.size);
    expect(counted('aqi_detector_dead_letters_total', { kind: 'malformed' })).toBeGreaterThanOrEqual(malformed.length);
    expect(counted('aqi_detector_anomalies_total', { type: 'out_of_range', event: 'opened' })).toBeGreaterThanOrEqual(
      20,
    );
    expect(counted('aqi_detector_chunk_stage_seconds_count', { stage: 'store' })).toBeGreaterThan(0);
    expect(counted('aqi_detector_stored_after_seconds_count')).toBeGreaterThan(0);
    const registered = await pool.query(`SELECT id FROM sensors WHERE id LIKE $1 ORDER BY id`, [`${prefix}\\_%`]);
    expect(registered.rows.map((r) => r.id)).toEqual([
      `${prefix}_001`,
      `${prefix}_002`,
      `${prefix}_003`,
      `${prefix}_004`,
    ]);

    // The flatline lasted 40 minutes and ended, the out-of-range values 20 minutes and an hour passed without
    // one: each incident was opened and closed by the recovery.
    expect(incidentAnomalyTypes).toEqual(expect.arrayContaining(['flatline', 'repeated_out_of_range']));
    const temporal = await connectTemporal(config);
    for (const fault of [flatline, repeated]) {
      const anomalyId = (fault as string).split(' ')[0] as string;
      const incident = temporal.workflow.getHandle<typeof sensorIncident>(sensorIncidentWorkflowId(anomalyId));
      const deadline = Date.now() + 60_000;
      let result: Awaited<ReturnType<typeof incident.result>> | undefined;
      while (!result && Date.now() < deadline) {
        result = await incident.result().catch(async () => {
          await sleep(1000);
          return undefined;
        });
      }
      expect(result).toMatchObject({ state: 'closed', closed: { reason: 'recovered' } });
    }
    await temporal.connection.close();
  });

  it('when the detector is SIGKILLed mid-run and restarted by its supervisor, then it ends with exactly the readings and anomalies of an uninterrupted run', async () => {
    const prefix = uniquePrefix();
    const simulation = scenario(prefix, 6);
    const want = expected(simulation);
    const half = Math.floor(simulation.messages.length / 2);

    await produce(simulation, 0, half);
    await untilStored(prefix, 1);
    await killDetector();
    await produce(simulation, half);
    const got = await untilStored(prefix, want.readings.size);

    expect(got.readings).toBe(want.readings.size);
    expect(got.anomalies).toEqual(want.anomalies);
  });
});

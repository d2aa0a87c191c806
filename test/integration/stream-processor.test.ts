import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Partitioners, type Admin, type Message } from 'kafkajs';
import type pg from 'pg';

import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { bundledExports } from '../../config/bundled-data';
import { indicesForPlace } from '../../core/air-quality/indices';
import { deadLetter, transformedReadingMessage, type RawReadingMessage } from '../../core/air-quality/messages';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import type { Reading } from '../../core/air-quality/reading';
import { createStreamProcessor, type StreamProcessorDeps } from '../../workers/stream/processor';

import { committedOffsets, readTopic as readAllOf, topicSize as kafkaTopicSize } from './kafka-topics';
import { withScratchDatabase } from './scratch-database';
import { testConfig, testEnv, testProcessEnv } from './test-env';

// Real values: the Lyon 2024 export (Open-Meteo.com, CAMS, CC BY 4.0), a different stretch of it per city.
const lyonCsv = bundledExports.lyon2024;
const cities = [
  { id: 'lyon', name: 'Lyon', latitude: 45.764, longitude: 4.8357, from: 0 },
  { id: 'paris', name: 'Paris', latitude: 48.8566, longitude: 2.3522, from: 3300 },
  { id: 'marseille', name: 'Marseille', latitude: 43.2965, longitude: 5.3698, from: 5400 },
];
const hoursPerCity = 3300;
const hourMs = 3600_000;
const runId = 'stream-test-run';

jest.setTimeout(180_000);

const config = testConfig();
const logger = createLogger('stream-processor-test', config.logLevel);
const kafka = createKafka(config, logger);
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => admin.disconnect());

interface Fixture {
  messages: Message[];
  valid: Map<string, Reading[]>;
  /** Malformed payload → the reason its dead letter must give. */
  malformed: Map<string, RegExp>;
}

/** 9,900 valid readings, hour by hour for each city, with a malformed record every 100th position. */
function buildFixture(): Fixture {
  const year = parseOpenMeteoCsv(readFileSync(lyonCsv, 'utf8'));
  const valid = new Map<string, Reading[]>();
  const raw: RawReadingMessage[] = [];
  for (let h = 0; h < hoursPerCity; h++) {
    for (const city of cities) {
      const at = Date.UTC(2024, 0, 1) + h * hourMs;
      const source = year[city.from + h] as Reading;
      const reading: Reading = { ...source, latitude: city.latitude, longitude: city.longitude, place: city.name };
      reading.observedAt = new Date(at).toISOString().replace('.000Z', 'Z');
      valid.set(city.id, valid.get(city.id) ?? []);
      valid.get(city.id)?.push(reading);
      const fetchedAt = new Date(at + hourMs).toISOString();
      raw.push({ schema: 'aqi.raw/v1', locationId: city.id, source: 'open-meteo', runId, fetchedAt, reading });
    }
  }
  const malformed = new Map<string, RegExp>();
  const broken = (k: number): Message => {
    const base = raw[k * 3] as RawReadingMessage;
    const { runId: _runId, ...withoutRunId } = base;
    const { observedAt: _observedAt, ...withoutHour } = base.reading;
    const [key, value, reason]: [string, unknown, RegExp] = [
      ['lyon', `{"schema":"aqi.raw/v1","broken":${k},`, /^payload: not JSON \(/],
      ['lyon', k % 2 ? withoutRunId : { ...base, reading: withoutHour }, /^(runId|reading\.observedAt): /],
      ['lyon', { ...base, reading: { ...base.reading, values: { pm2_5: String(k) } } }, /^reading\.values\.pm2_5: /],
      ['atlantis', { ...base, locationId: 'atlantis' }, /^locationId: "atlantis" is not in the locations table$/],
      ['paris', base, /^key: "paris" does not match locationId "lyon"$/],
    ][k % 5] as [string, unknown, RegExp];
    const payload = typeof value === 'string' ? value : JSON.stringify(value);
    malformed.set(payload, reason);
    return { key, value: payload };
  };
  const messages: Message[] = raw.map((m) => ({ key: m.locationId, value: JSON.stringify(m) }));
  for (let k = 0; k < 100; k++) messages.splice(k * 100 + 37, 0, broken(k));
  return { messages, valid, malformed };
}

const fixture = buildFixture();

async function withTopics(body: (topics: StreamProcessorDeps['topics']) => Promise<void>): Promise<void> {
  const id = randomUUID();
  const topics = { raw: `test.raw.${id}`, transformed: `test.transformed.${id}`, deadLetter: `test.dlq.${id}` };
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.raw, numPartitions: 3 },
      { topic: topics.transformed, numPartitions: 3 },
      { topic: topics.deadLetter },
    ],
  });
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (let i = 0; i < fixture.messages.length; i += 1000) {
      await producer.send({ topic: topics.raw, messages: fixture.messages.slice(i, i + 1000) });
    }
    await producer.disconnect();
    await body(topics);
  } finally {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
  }
}

const committed = (groupId: string, topic: string) => committedOffsets(admin, groupId, topic);
const topicSize = (topic: string) => kafkaTopicSize(admin, topic);
const readTopic = (topic: string) => readAllOf(kafka, admin, topic);

async function waitForCommitted(groupId: string, topic: string, atLeast: number): Promise<number> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const offsets = await committed(groupId, topic);
    if (offsets >= atLeast) return offsets;
    if (Date.now() > deadline) throw new Error(`${groupId} committed ${offsets} of ${atLeast} on ${topic}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs a processor until its group has committed `atLeast` records of the raw topic, then stops it. */
async function runUntilCommitted(
  pool: pg.Pool,
  topics: StreamProcessorDeps['topics'],
  groupId: string,
  atLeast: number,
  batch: StreamProcessorDeps['batch'] = {},
) {
  const processor = createStreamProcessor({ kafka, pool, logger, topics, groupId, batch });
  const startedAt = performance.now();
  let seconds = Number.NaN;
  try {
    await processor.start();
    await waitForCommitted(groupId, topics.raw, atLeast);
    seconds = (performance.now() - startedAt) / 1000;
  } finally {
    await processor.stop();
  }
  return { seconds, totals: processor.totals() };
}

function reportThroughput(label: string, messages: number, seconds: number): void {
  const rate = Math.round(messages / seconds);
  console.log(`[stream-processor] ${label}: ${messages} messages in ${seconds.toFixed(2)} s = ${rate} msg/s`);
}

/** Exactly the valid readings, once each, with the indices the batch path computes over each city's whole series. */
async function expectStoredExactly(pool: pg.Pool): Promise<void> {
  const { rows: counts } = await pool.query(
    'SELECT location_id, count(*)::int AS n, count(DISTINCT run_id)::int AS runs FROM readings GROUP BY 1 ORDER BY 1',
  );
  expect(counts).toEqual(['lyon', 'marseille', 'paris'].map((id) => ({ location_id: id, n: hoursPerCity, runs: 1 })));

  const expected = new Set<string>();
  for (const [id, readings] of fixture.valid) {
    indicesForPlace(readings).forEach((records, i) => {
      for (const r of records) expected.add(`${id}|${readings[i]?.observedAt}|${r.method}|${r.value}|${r.dominant}`);
    });
  }
  const { rows } = await pool.query<{ l: string; at: Date; method: string; value: number; dominant: string }>(
    'SELECT location_id AS l, observed_at AS at, method, value, dominant FROM reading_indices',
  );
  const actual = rows.map(
    (r) => `${r.l}|${r.at.toISOString().replace('.000Z', 'Z')}|${r.method}|${r.value}|${r.dominant}`,
  );
  expect(actual.filter((a) => !expected.has(a)).slice(0, 5)).toEqual([]);
  expect(actual).toHaveLength(expected.size);
}

/** Dead letters deduplicated by the record they reject: at-least-once may redeliver, never lose. */
async function expectDeadLetters(topic: string, rawTopic: string): Promise<number> {
  const letters = (await readTopic(topic)).map((m) => deadLetter.parse(JSON.parse(m.value)));
  const distinct = new Map(letters.map((l) => [`${l.topic}/${l.partition}/${l.offset}`, l]));
  expect(distinct.size).toBe(fixture.malformed.size);
  for (const letter of distinct.values()) {
    expect(letter.topic).toBe(rawTopic);
    expect(letter.reason).toMatch(fixture.malformed.get(letter.payload) ?? /^no malformed record sent this payload$/);
  }
  return letters.length;
}

async function expectTransformed(topic: string): Promise<number> {
  const messages = (await readTopic(topic)).map((m) => ({
    key: m.key,
    ...transformedReadingMessage.parse(JSON.parse(m.value)),
  }));
  expect(messages.every((m) => m.key === m.locationId && m.runId === runId)).toBe(true);
  expect(new Set(messages.map((m) => `${m.locationId}|${m.reading.observedAt}`)).size).toBe(
    hoursPerCity * cities.length,
  );
  return messages.length;
}

/** The pool, except that while `down` every query and connection fails as if PostgreSQL were unreachable. */
function withOutage(pool: pg.Pool): { pool: pg.Pool; outage: { down: boolean } } {
  const outage = { down: true };
  const refuse = () =>
    Promise.reject(new Error(`connect ECONNREFUSED 127.0.0.1:${testEnv.POSTGRES_PORT} (outage staged by the test)`));
  const flaky = new Proxy(pool, {
    get(target, prop) {
      if (outage.down && (prop === 'query' || prop === 'connect')) return refuse;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { pool: flaky, outage };
}

describe('stream processor against the test stack', () => {
  it('when 10,000 readings arrive with 1 % malformed, then 9,900 are stored and published once and 100 are dead-lettered', async () => {
    await withScratchDatabase(
      'aqi_stream_once',
      async (pool) =>
        withTopics(async (topics) => {
          const groupId = `test-stream-${randomUUID()}`;
          const run = await runUntilCommitted(pool, topics, groupId, fixture.messages.length);
          reportThroughput('one processor, start to last commit', fixture.messages.length, run.seconds);

          await expectStoredExactly(pool);
          expect(await expectDeadLetters(topics.deadLetter, topics.raw)).toBe(100);
          expect(await expectTransformed(topics.transformed)).toBe(9900);
          expect(run.totals).toEqual({ consumed: 10_000, stored: 9900, deadLettered: 100 });
        }),
      { migrated: true },
    );
  });

  it('when the processor is stopped mid-way and another takes over the group, then the database ends the same', async () => {
    await withScratchDatabase(
      'aqi_stream_restart',
      async (pool) =>
        withTopics(async (topics) => {
          const groupId = `test-stream-${randomUUID()}`;
          // Small fetches and chunks, so the first processor is stopped with most of the topic still to do.
          const first = await runUntilCommitted(pool, topics, groupId, 2000, {
            maxMessages: 100,
            maxBytesPerPartition: 64 * 1024,
          });
          const handedOver = await committed(groupId, topics.raw);
          const { rows } = await pool.query('SELECT count(*)::int AS n FROM readings');
          expect(handedOver).toBeLessThan(fixture.messages.length);
          expect(rows[0].n).toBeLessThan(9900);

          const second = await runUntilCommitted(pool, topics, groupId, fixture.messages.length);
          reportThroughput(
            'second processor, from the hand-over on',
            fixture.messages.length - handedOver,
            second.seconds,
          );
          expect(first.totals.consumed + second.totals.consumed).toBeGreaterThanOrEqual(fixture.messages.length);

          await expectStoredExactly(pool);
          const letters = await expectDeadLetters(topics.deadLetter, topics.raw);
          const transformed = await expectTransformed(topics.transformed);
          console.log(
            `[stream-processor] after the hand-over: ${letters} dead letters (100 distinct), ${transformed} transformed (9900 distinct)`,
          );
          expect(letters).toBeGreaterThanOrEqual(100);
          expect(transformed).toBeGreaterThanOrEqual(9900);
        }),
      { migrated: true },
    );
  });

  it('when the processor process is killed with SIGKILL mid-way and restarted, then the database ends the same', async () => {
    const database = 'aqi_stream_sigkill';
    await withScratchDatabase(
      database,
      async (pool) =>
        withTopics(async (topics) => {
          const groupId = `test-stream-${randomUUID()}`;
          const child = spawn(
            process.execPath,
            [
              '--import',
              'tsx',
              path.join(__dirname, 'stream-child.ts'),
              groupId,
              database,
              topics.raw,
              topics.transformed,
              topics.deadLetter,
            ],
            { env: testProcessEnv(), stdio: ['ignore', 'inherit', 'inherit'] },
          );
          const exited = new Promise<NodeJS.Signals | null>((resolve) =>
            child.once('exit', (_code, signal) => resolve(signal)),
          );
          try {
            await waitForCommitted(groupId, topics.raw, 2000);
          } finally {
            child.kill('SIGKILL');
          }
          expect(await exited).toBe('SIGKILL');
          const killedAt = await committed(groupId, topics.raw);
          expect(killedAt).toBeLessThan(fixture.messages.length);
          const { rows } = await pool.query('SELECT count(*)::int AS n FROM readings');
          expect(rows[0].n).toBeLessThan(9900);

          // The killed member never left the group: the restarted one gets its partitions after the session times out.
          await runUntilCommitted(pool, topics, groupId, fixture.messages.length);

          await expectStoredExactly(pool);
          expect(await expectDeadLetters(topics.deadLetter, topics.raw)).toBeGreaterThanOrEqual(100);
          expect(await expectTransformed(topics.transformed)).toBeGreaterThanOrEqual(9900);
        }),
      { migrated: true },
    );
  });

  it('when the database is down, then nothing is committed or dead-lettered until it is back, then all is stored once', async () => {
    await withScratchDatabase(
      'aqi_stream_outage',
      async (pool) =>
        withTopics(async (topics) => {
          const groupId = `test-stream-${randomUUID()}`;
          const { pool: flaky, outage } = withOutage(pool);
          // Every failed attempt is logged; this test only wants to see the outcome.
          const quiet = createLogger('stream-processor-test', 'fatal');
          const processor = createStreamProcessor({
            kafka: createKafka(config, quiet),
            pool: flaky,
            logger: quiet,
            topics,
            groupId,
            retryPause: { initialMs: 100, maxMs: 500 },
          });
          try {
            await processor.start();
            await new Promise((resolve) => setTimeout(resolve, 4000));
            expect(await committed(groupId, topics.raw)).toBe(0);
            expect(await topicSize(topics.deadLetter)).toBe(0);
            expect(await topicSize(topics.transformed)).toBe(0);

            outage.down = false;
            await waitForCommitted(groupId, topics.raw, fixture.messages.length);
          } finally {
            await processor.stop();
          }

          await expectStoredExactly(pool);
          await expectDeadLetters(topics.deadLetter, topics.raw);
          await expectTransformed(topics.transformed);
        }),
      { migrated: true },
    );
  });
});

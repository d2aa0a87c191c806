import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';

import type { WorkflowHandle } from '@temporalio/client';

import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { addLocation, removeLocation } from '../../adapters/postgres/locations';
import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { bundledExports } from '../../config/bundled-data';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import { topics } from '../../core/topics';
import { defaultGroupId } from '../../workers/stream/processor';
import { approvePromotionSignal, promotionStatusQuery, type PromotionStatus } from '../../workflows/promotion-approval';
import { trainingPipeline } from '../../workflows/training-pipeline';

import { until } from './api-calls';
import { startApiCluster, stopApiCluster } from './api-cluster-process';
import {
  config,
  holdWrites,
  killAndBringBack,
  postmasterPid,
  processesUnchanged,
  produceRaw,
  rawMessages,
  servicePid,
  sleep,
  snapshot,
  storedReadings,
  waitingOn,
} from './drill-support';
import { committedOffsets, endOffsets, readTopic } from './kafka-topics';
import { testEnv } from './test-env';

/**
 * Fault drills on the data and model paths, against the running test stack: a dependency or a process dies
 * (SIGKILL, as in a crash) while work is under way, and the drill counts what came out: nothing lost,
 * nothing duplicated, no wrong answer. The idle and backfill drills are in dependency-restarts.test.ts.
 */
jest.setTimeout(300_000);

describe('drill: PostgreSQL SIGKILLed mid-stream', () => {
  it('when PostgreSQL is SIGKILLed while the stream processor stores readings still arriving on aqi.raw, then each is stored exactly once and none is dead-lettered', async () => {
    const locationId = 'lyon-pg-stream-drill';
    const runId = `pg-stream-drill-${randomUUID().slice(0, 8)}`;
    const year = parseOpenMeteoCsv(readFileSync(bundledExports.lyon2024, 'utf8'));
    const pool = createPool(config, { max: 2 });
    const kafka = createKafka(config, createLogger('drill', 'error'));
    const admin = kafka.admin();
    await admin.connect();
    let release: (() => Promise<void>) | undefined;
    try {
      await addLocation(
        pool,
        { id: locationId, name: 'PostgreSQL stream drill', latitude: 45.55, longitude: 4.65 },
        { actor: 'drill' },
      );
      const before = snapshot();
      // The year arrives in chunks of 250 every 100 ms, and the kill lands while readings are still coming in.
      const producing = produceRaw(kafka, rawMessages(locationId, runId, year), { chunk: 250, pauseMs: 100 });
      producing.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      await until(
        'the first readings stored',
        async () => ((await storedReadings(pool, locationId)).rows >= 500 ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      // Then the processor's next chunk is held inside its transaction, readings written and indices waiting:
      // the kill cuts a store half done, not an idle pool.
      release = await holdWrites(pool, 'reading_indices'); // let go of by the kill itself
      const waiting = await until('the stream processor storing, held at the lock', async () => {
        const sessions = await waitingOn(pool, 'reading_indices');
        return sessions.length > 0 ? sessions : undefined;
      });
      const atKill = await storedReadings(pool, locationId);
      const killedAt = Date.now();
      const { up, seconds } = await killAndBringBack(postmasterPid());
      await producing;
      const stored = await until(
        'every reading stored',
        async () => {
          const now = await storedReadings(pool, locationId).catch(() => undefined);
          return now && now.rows >= year.length ? now : undefined;
        },
        { timeoutMs: 180_000, intervalMs: 250 },
      );
      const allStoredSeconds = (Date.now() - killedAt) / 1000;
      // Caught up: the processor's group has committed every offset of aqi.raw.
      await until(
        'the stream processor committing the end of aqi.raw',
        async () =>
          (await committedOffsets(admin, defaultGroupId, topics.aqiRaw)) >= (await endOffsets(admin, topics.aqiRaw))
            ? true
            : undefined,
        { timeoutMs: 60_000 },
      );
      // This run's messages (its run id is in each payload), on the topics as any consumer reads them.
      const ofThisRun = async (topic: string) =>
        (await readTopic(kafka, admin, topic)).filter((m) => m.value.includes(runId));
      const letters = await ofThisRun(topics.aqiDeadLetter);
      const published = await ofThisRun(topics.aqiTransformed);

      expect(up.status).toBe(0);
      expect(waiting).toEqual(['aqi-stream-processor']);
      expect(atKill.rows).toBeLessThan(year.length);
      expect(stored).toEqual({ rows: year.length, hours: year.length });
      expect(letters).toEqual([]);
      expect(
        new Set(published.map((m) => (JSON.parse(m.value) as { reading: { observedAt: string } }).reading.observedAt))
          .size,
      ).toBe(year.length);
      processesUnchanged(before);
      console.log(
        `[drill] PostgreSQL SIGKILLed mid-stream with ${atKill.rows}/${year.length} readings stored: back in ` +
          `${seconds.toFixed(1)} s, all stored ${allStoredSeconds.toFixed(1)} s after the kill, ${stored.rows} rows exactly, ` +
          `0 dead letters, ${published.length} published on aqi.transformed (${year.length} distinct)`,
      );
    } finally {
      await release?.();
      await removeLocation(pool, locationId, { actor: 'drill', purge: true }).catch(() => undefined);
      await pool.end();
      await admin.disconnect();
    }
  });
});

describe('drill: MLflow SIGKILLed mid-registration', () => {
  const mlflowDb = createPool({
    ...config,
    postgres: { ...config.postgres, database: config.postgres.mlflowDatabase },
  });
  afterAll(() => mlflowDb.end());

  /** MLflow's own REST API: what any MLflow user would see. */
  const mlflowRest = async <T>(pathAndQuery: string): Promise<T> => {
    const response = await fetch(`${config.mlflow.url}/api/2.0/mlflow/${pathAndQuery}`);
    if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const versionsWhere = async (filter: string) =>
    (
      await mlflowRest<{ model_versions?: { version: string }[] }>(
        `model-versions/search?${new URLSearchParams({ filter })}`,
      )
    ).model_versions?.map((v) => v.version) ?? [];
  const challenger = async (name: string) =>
    (
      await mlflowRest<{ model_version: { version: string } }>(
        `registered-models/alias?${new URLSearchParams({ name, alias: 'challenger' })}`,
      )
    ).model_version.version;

  // Two places to die: in the transaction that writes the version (nothing committed, the retry creates it),
  // and after the version is committed but before the activity returned (the retry must find that version
  // by its run id instead of creating a second one).
  it.each([
    ['while it writes the model version', 'model_versions', 0],
    ['after it wrote the version, while it sets the challenger alias', 'registered_model_aliases', 1],
  ])(
    'when MLflow is SIGKILLed mid-registration (%s), then the retried registration leaves exactly one version',
    async (when, table, versionsAtKill) => {
      const modelName = `drill-mlflow-${randomUUID().slice(0, 8)}`;
      const temporal = await connectTemporal(config);
      let release: (() => Promise<void>) | undefined;
      let handle: WorkflowHandle<typeof trainingPipeline> | undefined;
      try {
        // MLflow reads `table` as usual, but its write there (the step of the registration this variant stops
        // at) waits until the drill lets go, after the kill.
        release = await holdWrites(mlflowDb, table);
        const before = snapshot();
        const pipeline = await temporal.workflow.start(trainingPipeline, {
          taskQueue: config.temporal.taskQueue,
          workflowId: `drill-mlflow-${randomUUID()}`,
          args: [
            {
              modelName,
              kind: 'instant',
              locationIds: ['lyon'],
              trainFrom: '2024-09-01T00:00:00Z',
              validationFrom: '2024-11-01T00:00:00Z',
              testFrom: '2024-12-01T00:00:00Z',
              testTo: '2025-01-01T00:00:00Z',
              params: { seed: 7, randomForest: { nEstimators: 10, maxSamples: 500 } },
              trainingTaskQueue: config.temporal.trainingTaskQueue,
              approvalTimeout: '10m',
            },
          ],
        });
        handle = pipeline;
        await until('MLflow registering, held at the lock', async () =>
          (await waitingOn(mlflowDb, table)).length > 0 ? true : undefined,
        );
        const { stage, runId } = await pipeline.query(promotionStatusQuery);
        const atKill = await versionsWhere(`name='${modelName}'`);

        const killedAt = Date.now();
        const { up, seconds } = await killAndBringBack(servicePid('mlflow'), release);
        const waiting = await until('the pipeline awaiting approval', async () => {
          const status: PromotionStatus | undefined = await pipeline.query(promotionStatusQuery).catch(() => undefined);
          return status?.stage === 'awaiting_approval' ? status : undefined;
        });
        const registeredSeconds = (Date.now() - killedAt) / 1000;
        const { events } = await pipeline.fetchHistory();
        const scheduled = (events ?? []).find(
          (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'registerChallenger',
        );
        const started = (events ?? []).find(
          (e) =>
            String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId ?? 'none'),
        );

        expect(up.status).toBe(0);
        expect(stage).toBe('registering');
        expect(atKill).toHaveLength(versionsAtKill);
        // The attempt that ran when MLflow died failed; a later one completed the registration.
        expect(started?.activityTaskStartedEventAttributes?.attempt).toBeGreaterThan(1);
        const byRun = await versionsWhere(`run_id='${runId}'`);
        expect(byRun).toEqual([waiting.version]);
        expect(await challenger(modelName)).toBe(waiting.version);
        expect(await versionsWhere(`name='${modelName}'`)).toEqual(byRun);
        expect(await versionsWhere(`tags.\`aqi.workflow_id\`='${pipeline.workflowId}'`)).toEqual(byRun);
        processesUnchanged(before);

        // The run goes on to its normal end.
        await pipeline.signal(approvePromotionSignal, { approver: 'drill', decision: 'reject' });
        expect((await pipeline.result()).outcome).toBe('rejected');
        console.log(
          `[drill] MLflow SIGKILLed mid-registration (${when}): back in ${seconds.toFixed(1)} s; registered ` +
            `${registeredSeconds.toFixed(1)} s after the kill on attempt ${started?.activityTaskStartedEventAttributes?.attempt}, ` +
            `${byRun.length} version`,
        );
      } finally {
        await release?.();
        await handle?.terminate('drill cleanup').catch(() => undefined);
        await fetch(`${config.mlflow.url}/api/2.0/mlflow/registered-models/delete`, {
          method: 'DELETE',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: modelName }),
        }).catch(() => undefined);
        await temporal.connection.close();
      }
    },
  );
});

describe('drill: an API process SIGKILLed under load', () => {
  const port = Number(testEnv.API_PORT) + 8;
  // Three inputs with different answers, so an answer given to the wrong request would show.
  const inputs = [
    { pm2_5: 7.2, pm10: 11.5, carbon_monoxide: 135.0, sulphur_dioxide: 0.9, uv_index: 1.0 },
    { pm2_5: 31.0, pm10: 48.0, carbon_monoxide: 260.0, sulphur_dioxide: 3.1, uv_index: 0.0 },
    { pm2_5: 62.0, pm10: 95.0, carbon_monoxide: 410.0, sulphur_dioxide: 6.5, uv_index: 4.0 },
  ].map((data) => JSON.stringify({ data }));

  it('when one of two API processes is SIGKILLed, then the primary replaces it and clients see only lost connections, never a wrong answer', async () => {
    const api = await startApiCluster({ port, workers: 2 });
    try {
      // The right answers, asked before anything is killed.
      const expected = (await Promise.all(inputs.map((body) => post(port, body)))).map((a) => {
        expect(a.status).toBe(200);
        return a.body;
      });
      expect(new Set(expected.map((body) => (JSON.parse(body) as { european_aqi: number }).european_aqi)).size).toBe(3);
      const original = api.workerPids();
      expect(original).toHaveLength(2);
      const [victim, survivor] = original as [number, number];

      const load = startLoad(port, inputs, expected, 8);
      await sleep(2000);
      const killedAt = Date.now();
      process.kill(victim, 'SIGKILL');
      let replacement: number | undefined;
      while (Date.now() - killedAt < 60_000) {
        replacement = api.workerPids().find((pid) => !original.includes(pid));
        // The replacement logs "api listening" once it takes connections (after its first model load).
        if (replacement !== undefined && api.logged('api listening') === 3) break;
        await sleep(50);
      }
      const replacedMs = Date.now() - killedAt;
      await sleep(3000); // the load goes on while the replacement takes its share
      const outcomes = await load.stop();
      const held = await heldConnections(port, inputs[0] as string, expected[0] as string, 6);

      const of = (...kinds: Outcome['kind'][]) => outcomes.filter((o) => kinds.includes(o.kind));
      const lost = of('reset', 'hung');
      expect(api.logged('api listening')).toBe(3);
      expect(new Set(api.workerPids())).toEqual(new Set([survivor, replacement]));
      expect(api.child.exitCode).toBeNull();
      // Every answer is the right one (a 503 from a process without its model would be wrong, too) ...
      expect(of('wrong', 'failed').slice(0, 5)).toEqual([]);
      // ... and a request lost is one that was on its way to the killed process when it died.
      expect(lost.filter((o) => o.at > killedAt + 1000)).toEqual([]);
      expect(of('right').filter((o) => o.at > killedAt + replacedMs).length).toBeGreaterThan(50);
      // Six keep-alive connections at once after the replacement: all answered right, some by the replacement.
      expect(held.answers).toEqual([true, true, true, true, true, true]);
      expect(held.owners.get(replacement ?? -1)).toBeGreaterThan(0);
      console.log(
        `[drill] API process SIGKILLed under load (8 clients): replaced in ${(replacedMs / 1000).toFixed(1)} s; ` +
          `${of('right').length} right answers, 0 wrong; lost: ${of('reset').length} reset, ` +
          `${of('hung').length} unanswered until the client's ${clientTimeoutMs / 1000} s timeout`,
      );
    } finally {
      stopApiCluster(api, 'SIGKILL');
    }
  });
});

interface Outcome {
  at: number;
  kind: 'right' | 'wrong' | 'reset' | 'hung' | 'failed';
  detail?: string;
}

/** What a client sees when the process holding its connection dies: the connection cut, no answer. */
const resetCodes = new Set(['ECONNRESET', 'EPIPE']);
const clientTimeoutMs = 5000;

/**
 * `clients` concurrent clients, each sending one request after another on a new connection (so the primary's
 * round-robin hands requests to every process that listens, a replacement as soon as it does), each answer
 * compared with the one expected for its input.
 */
function startLoad(port: number, inputs: string[], expected: string[], clients: number) {
  const outcomes: Outcome[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let i = client; running; i++) {
      const input = i % inputs.length;
      const at = Date.now();
      try {
        const answer = await post(port, inputs[input] as string);
        const right = answer.status === 200 && answer.body === expected[input];
        outcomes.push(right ? { at, kind: 'right' } : { at, kind: 'wrong', detail: `${answer.status} ${answer.body}` });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        const kind = resetCodes.has(code) ? 'reset' : code === 'timed out' ? 'hung' : 'failed';
        outcomes.push({ at, kind, detail: code });
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** One POST /predict on a connection of its own (`Connection: close`). */
function post(
  port: number,
  body: string,
  agent: http.Agent | false = false,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/predict',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      },
    );
    request.setTimeout(clientTimeoutMs, () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Opens `n` keep-alive connections at once, each answering one request, and reports whether each answer was
 * the expected one and which process owns each connection's server side while they stay open.
 */
async function heldConnections(port: number, body: string, expected: string, n: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: n });
  try {
    const answers = await Promise.all(
      Array.from({ length: n }, () => post(port, body, agent).then((a) => a.status === 200 && a.body === expected)),
    );
    return { answers, owners: serverSocketOwners(port) };
  } finally {
    agent.destroy();
  }
}

/** For each process, how many established TCP connections whose local port is `port` it holds (from /proc). */
function serverSocketOwners(port: number): Map<number, number> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      // sl, local address, remote address, state, tx:rx queues, timer, retransmits, uid, timeout, inode
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (local && state === '01' && parseInt(local.split(':')[1] ?? '', 16) === port && inode) inodes.add(inode);
    }
  }
  const owners = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let held = 0;
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')) held += 1;
      }
    } catch {
      continue;
    }
    if (held > 0) owners.set(Number(pid), held);
  }
  return owners;
}

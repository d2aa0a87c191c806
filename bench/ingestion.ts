/**
 * Benchmark: backfill speed, raw COPY speed, stream throughput and hourly-ingest wall time.
 *
 *   npm run bench:ingestion          (about 3 minutes; the tools must be installed, e.g. by `npm start`)
 *
 * Runs on a stack of its own (ports 26xxx, a scratch state directory, shared tool installs), so
 * a running `npm start` stack and its data are untouched:
 * 1. backfill the Lyon 2024 export (8,784 h) with ingestHistory; wall time and the activities' own time
 *    (sum of ActivityTaskStarted → Completed in the workflow history);
 * 2. COPY the same rows into a bare table: the floor any backfill stands on;
 * 3. produce 10,000 readings to aqi.raw and time until the stream processor has stored them all;
 * 4. time one ingestHourly run (fetch → Kafka → stream processor → stored) end to end;
 * then stop the stack and remove the scratch directory. Prints a Markdown table for docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Partitioners } from 'kafkajs';
import { from as copyFrom } from 'pg-copy-streams';

import { createKafka } from '../adapters/kafka/client';
import { createLogger } from '../adapters/logger';
import { createPool } from '../adapters/postgres/pool';
import { connectTemporal } from '../adapters/temporal/client';
import { startOrJoin } from '../adapters/temporal/start-or-join';
import { loadConfig } from '../config';
import { bundledExports } from '../config/bundled-data';
import { repoRoot } from '../config/runtime';
import type { RawReadingMessage } from '../core/air-quality/messages';
import { parseOpenMeteoCsv } from '../core/air-quality/open-meteo/csv';
import { formatObservedAt, measuredVariables } from '../core/air-quality/reading';
import { topics } from '../core/topics';
import { appProcesses } from '../stack/app-processes';
import { stackLayout } from '../stack/layout';
import { ingestHistory } from '../workflows/ingest-history';
import { ingestHourly } from '../workflows/ingest-hourly';

const scratch = mkdtempSync(path.join('/var/tmp', 'aqi-bench-ingest-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  AQI_STATE_DIR: scratch,
  LOG_LEVEL: 'warn',
  // Below 32768: ports in Linux's ephemeral range can be taken by any outgoing connection.
  TEMPORAL_GRPC_PORT: '26233',
  TEMPORAL_UI_PORT: '26234',
  TEMPORAL_HTTP_PORT: '26243',
  POSTGRES_PORT: '26432',
  KAFKA_PORT: '26092',
  KAFKA_CONTROLLER_PORT: '26093',
  MLFLOW_PORT: '26500',
  API_PORT: '26800',
  REPLAY_PORT: '26810',
  REPLAY_URL: '',
};
const config = loadConfig(env);
// The worker and stream processor started below inherit this environment: point it at the bench stack.
Object.assign(process.env, env);
const lyon = parseOpenMeteoCsv(readFileSync(bundledExports.lyon2024, 'utf8'));

function stack(command: string): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'stack', 'cli.ts'), command], {
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`stack ${command} failed`);
}

async function main() {
  const apps = appProcesses(config, stackLayout(config)).filter((a) => a.name !== 'api');
  const results: string[] = [];
  try {
    // `up` plus the worker and the stream processor, without npm start's own pipeline (it would backfill first).
    stack('up');
    for (const app of apps) await app.start();
    await measure(results);
  } finally {
    for (const app of apps) await app.stop();
    stack('down');
    const relocated = path.join(scratch, 'postgres', 'location');
    if (existsSync(relocated)) rmSync(readFileSync(relocated, 'utf8').trim(), { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\n| measurement | volume | time | rate |\n|---|---|---|---|\n${results.join('\n')}`);
}

async function measure(results: string[]) {
  const client = await connectTemporal(config);
  const pool = createPool(config, { max: 4 });
  try {
    // 1. Backfill through the workflow.
    const from = '2024-01-01T00:00:00Z';
    const to = '2024-12-31T23:00:00Z';
    const started = performance.now();
    const { handle } = await startOrJoin(client, config, ingestHistory, `bench-backfill-${Date.now()}`, {
      locationIds: ['lyon'],
      from,
      to,
    });
    const backfill = await handle.result();
    const wall = (performance.now() - started) / 1000;
    let activitySeconds = 0;
    const open = new Map<string, number>();
    for (const event of (await handle.fetchHistory()).events ?? []) {
      const at = Number(event.eventTime?.seconds ?? 0) + (event.eventTime?.nanos ?? 0) / 1e9;
      if (event.activityTaskStartedEventAttributes)
        open.set(String(event.activityTaskStartedEventAttributes.scheduledEventId), at);
      const done = event.activityTaskCompletedEventAttributes;
      if (done) activitySeconds += at - (open.get(String(done.scheduledEventId)) ?? at);
    }
    results.push(
      `| backfill, Lyon 2024 via ingestHistory (12 chunks, 4 in parallel) | ${backfill.rowsWritten} rows | ${wall.toFixed(1)} s wall, ${activitySeconds.toFixed(1)} s summed activity time | ${Math.round(backfill.rowsWritten / wall)} rows/s |`,
    );

    // 2. Raw COPY of the same rows, no staging, no upsert, no indices.
    await pool.query(`CREATE TABLE bench_copy (LIKE readings)`);
    const copyStarted = performance.now();
    const client2 = await pool.connect();
    try {
      const lines = lyon.map(
        (r) =>
          `lyon,${r.observedAt},${measuredVariables.map((v) => r.values[v] ?? '').join(',')},,,bench,bench,${r.observedAt}\n`,
      );
      await pipeline(
        Readable.from([lines.join('')]),
        client2.query(
          copyFrom(
            `COPY bench_copy (location_id, observed_at, ${measuredVariables.join(', ')}, reported_european_aqi, reported_us_aqi, source, run_id, ingested_at) FROM STDIN WITH (FORMAT csv)`,
          ),
        ),
      );
    } finally {
      client2.release();
    }
    const copySeconds = (performance.now() - copyStarted) / 1000;
    results.push(
      `| raw COPY of the same rows into a bare table | ${lyon.length} rows | ${copySeconds.toFixed(2)} s | ${Math.round(lyon.length / copySeconds)} rows/s |`,
    );

    // 3. Stream: 10,000 readings spread over the three locations (so over the topic's partitions, as real
    // traffic is), consecutive hours from 2030 on with the Lyon values, through the stream processor.
    const kafka = createKafka(config, createLogger('bench', 'warn'));
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const base = Date.UTC(2030, 0, 1);
    const locationIds = ['lyon', 'marseille', 'paris'];
    const messages = Array.from({ length: 10_000 }, (_, i) => {
      const source = lyon[i % lyon.length];
      const locationId = locationIds[i % 3] ?? 'lyon';
      if (!source) throw new Error('no data');
      const message: RawReadingMessage = {
        schema: 'aqi.raw/v1',
        locationId,
        source: 'bench',
        runId: 'bench-stream',
        fetchedAt: new Date().toISOString(),
        reading: {
          ...source,
          observedAt: formatObservedAt(base + Math.floor(i / 3) * 3600_000),
        },
      };
      return { key: locationId, value: JSON.stringify(message) };
    });
    const streamStarted = performance.now();
    for (let i = 0; i < messages.length; i += 1000) {
      await producer.send({ topic: topics.aqiRaw, messages: messages.slice(i, i + 1000) });
    }
    await producer.disconnect();
    for (;;) {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM readings WHERE source = 'bench'`,
      );
      if ((rows[0]?.n ?? 0) >= messages.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const streamSeconds = (performance.now() - streamStarted) / 1000;
    results.push(
      `| stream, 3 locations: produce → validate → index → upsert → publish | ${messages.length} messages | ${streamSeconds.toFixed(2)} s | ${Math.round(messages.length / streamSeconds)} msg/s |`,
    );

    // 4. One hourly ingest end to end, for hours nothing has stored yet (Paris was not backfilled above).
    const hourStarted = performance.now();
    const hourly = await startOrJoin(client, config, ingestHourly, `bench-hourly-${Date.now()}`, {
      locationIds: ['paris'],
      hour: '2025-06-02T23:00:00Z',
    });
    await hourly.handle.result();
    results.push(
      `| ingestHourly, 3 new hours of Paris: fetch → Kafka → stream processor → stored | 3 readings | ${((performance.now() - hourStarted) / 1000).toFixed(2)} s wall | - |`,
    );
  } finally {
    await Promise.allSettled([client.connection.close(), pool.end()]);
  }
}

main().catch((err: unknown) => {
  console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

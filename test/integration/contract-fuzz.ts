import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Client, Connection } from '@temporalio/client';

import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { migrate } from '../../adapters/postgres/migrations';
import { createPool } from '../../adapters/postgres/pool';
import { repoRoot } from '../../config/runtime';
import { ensureVenv } from '../../stack/tools/python-venv';
import { registerTemporal } from '../../temporal/register';

import { testConfig, testEnv, testProcessEnv } from './test-env';

/**
 * The API contract fuzz: Schemathesis (PyPI, pinned in stack/python/schemathesis-requirements.txt, its own
 * venv under AQI_TOOLS_DIR) against `/openapi.json` of an API process of its own, so the fuzzed changes
 * touch nothing the other tests read:
 *   - PostgreSQL: a scratch database, migrated fresh (POST/DELETE /locations land there);
 *   - Temporal: a namespace of its own that no worker polls, on a task queue nobody polls, so a started
 *     pipeline does no work, and its workflow id (derived from the request) cannot join a run of the
 *     platform's namespace; what it started is terminated afterwards;
 *   - MLflow: read only (the API only reads the registry), so the champions of the test stack are served;
 *   - one API key with every permission, so the keyed operations are exercised past authentication.
 */
export const fuzzDatabase = 'aqi_contract_fuzz';
export const fuzzNamespace = 'aqi-contract-fuzz';
export const fuzzReadingsTopic = 'fuzz.sensors.raw';
const fuzzTaskQueue = 'aqi-contract-fuzz-unpolled';

export interface FuzzTarget {
  url: string;
  key: string;
  /** What the API process printed, for a failure message. */
  output: () => string;
  stop: () => Promise<void>;
}

/** The schemathesis venv, installed once (a second call costs one file read); its `bin/st`. */
export async function schemathesisBinary(): Promise<string> {
  const config = testConfig();
  const venv = await ensureVenv({
    toolsDir: path.resolve(repoRoot, config.toolsDir),
    name: 'schemathesis',
    requirementsFile: path.join(repoRoot, 'stack', 'python', 'schemathesis-requirements.txt'),
    python: config.tools.python,
    progress: (message) => console.log(`[contract fuzz] ${message}`),
  });
  return path.join(venv, 'bin', 'st');
}

/** Starts the API on the test stack with a scratch database and namespace; `stop` removes both. */
export async function startFuzzTarget(port = Number(testEnv.API_PORT) + 9): Promise<FuzzTarget> {
  const config = testConfig();
  const admin = createPool(config, { max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${fuzzDatabase} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${fuzzDatabase}`);
  const scratch = createPool({ ...config, postgres: { ...config.postgres, database: fuzzDatabase } }, { max: 1 });
  await migrate(scratch);
  await scratch.end();
  await registerTemporal({ ...config, temporal: { ...config.temporal, namespace: fuzzNamespace } });

  // Fuzzed readings go to a topic of their own: on sensors.raw their event times would move the detector's
  // watermark under the other tests' feet.
  const kafkaAdmin = createKafka(config, createLogger('contract-fuzz', 'error')).admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({ topics: [{ topic: fuzzReadingsTopic, numPartitions: 1 }] });
  const key = `fuzz-${randomBytes(12).toString('hex')}`;
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const api: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'api', 'server.ts')], {
    cwd: repoRoot,
    env: {
      ...testProcessEnv(),
      API_PORT: String(port),
      API_PUBLIC_URL: url,
      API_KEYS: `fuzz:${key}:pipelines+approve+models+locations+sensors+incidents`, // pragma: allowlist secret (made up per run)
      POSTGRES_DB: fuzzDatabase,
      TEMPORAL_NAMESPACE: fuzzNamespace,
      TEMPORAL_TASK_QUEUE: fuzzTaskQueue,
      TEMPORAL_TRAINING_TASK_QUEUE: fuzzTaskQueue,
      MODEL_POLL_INTERVAL: '0s',
      SENSOR_READINGS_TOPIC: fuzzReadingsTopic,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  api.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  api.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async () => {
    if (api.exitCode === null && api.pid !== undefined) {
      const exited = new Promise((resolve) => api.once('close', resolve));
      process.kill(-api.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (api.exitCode === null) process.kill(-api.pid, 'SIGKILL');
    }
    // Terminating while listing can move later pages: list again until a pass finds nothing running.
    for (let pass = 0; pass < 5 && (await terminateFuzzRuns(config.temporal.address)) > 0; pass++);
    await admin.query(`DROP DATABASE IF EXISTS ${fuzzDatabase} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await kafkaAdmin.deleteTopics({ topics: [fuzzReadingsTopic] }).catch(() => undefined);
    await kafkaAdmin.disconnect();
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (api.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the fuzzed API did not get ready:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { url, key, output: () => output, stop };
}

/**
 * Ends every run the fuzz started in its namespace (none of them did any work: no worker polls it), 25 at
 * a time: a run at scale leaves thousands.
 */
async function terminateFuzzRuns(address: string): Promise<number> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: fuzzNamespace });
    let terminated = 0;
    let batch: Promise<void>[] = [];
    for await (const run of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
      batch.push(
        client.workflow
          .getHandle(run.workflowId, run.runId)
          .terminate('contract fuzz finished')
          .then(
            () => void (terminated += 1),
            () => undefined,
          ),
      );
      if (batch.length === 25) {
        await Promise.all(batch);
        batch = [];
      }
    }
    await Promise.all(batch);
    return terminated;
  } finally {
    await connection.close();
  }
}

export interface FuzzResult {
  exitCode: number | null;
  /** Schemathesis' own summary (its last lines), and the failures it printed. */
  output: string;
  junit: string;
  seconds: number;
}

/**
 * `st run <url>/openapi.json --checks all` with a fixed seed, every phase, `maxExamples` cases per operation
 * and phase at most, and test/integration/schemathesis.toml; the key is sent on every request (Schemathesis
 * leaves it out itself where `ignored_auth` checks that a key is required).
 */
export async function runSchemathesis(
  st: string,
  target: Pick<FuzzTarget, 'url' | 'key'>,
  options: { maxExamples: number; seed: number; reportDir: string },
): Promise<FuzzResult> {
  mkdirSync(options.reportDir, { recursive: true });
  const junitPath = path.join(options.reportDir, 'junit.xml');
  const args = [
    '--config-file',
    path.join(repoRoot, 'test', 'integration', 'schemathesis.toml'),
    'run',
    `${target.url}/openapi.json`,
    '--checks',
    'all',
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--max-examples',
    String(options.maxExamples),
    '--seed',
    String(options.seed),
    // One worker: Python 3.11's parser is not thread-safe (CPython gh-106905: "AST constructor recursion
    // depth mismatch" in Hypothesis' lambda descriptions with two workers).
    '--workers',
    '1',
    '--header',
    `Authorization: Bearer ${target.key}`,
    '--generation-database',
    'none',
    '--request-timeout',
    '20',
    '--report',
    'junit',
    '--report-junit-path',
    junitPath,
    '--no-color',
    '--output-truncate',
    'false',
  ];
  const started = Date.now();
  const child = spawn(st, args, { cwd: options.reportDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
  let junit = '';
  try {
    junit = readFileSync(junitPath, 'utf8');
  } catch {
    // No report: the output says why.
  }
  return { exitCode, output, junit, seconds: (Date.now() - started) / 1000 };
}

/**
 * Benchmark: the prediction API under load, against the seed's serving stack on the same machine.
 *   1. Train the champion-equivalent instant model (default params, Lyon January–October) and serve it with
 *      the real app (createApp) on a free port: the HTTP path under test is the production one.
 *   2. wrk (or autocannon without it), its own process: single-row POST /predict, 50 connections, 10 s →
 *      req/s, p50, p99.
 *   3. 1,000-row batch: 100 sequential requests → p50, p99.
 *   4. The same two loads against bench/reference/fastapi_server.py (FastAPI + uvicorn + LightGBM, the seed's
 *      way) started from the LightGBM venv, and the ratio.
 * Run: npm run bench:api (the reference needs the venv described in bench/reference/fastapi_server.py;
 * without it, only our figures are printed). Data: Open-Meteo.com (CAMS), CC BY 4.0.
 */
import { spawn } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pino from 'pino';

import { createApp } from '../api/app';
import type { LoadedModel } from '../api/models/model-store';
import { bundledExports } from '../config/bundled-data';
import { repoRoot } from '../config/runtime';
import { parseOpenMeteoCsv } from '../core/air-quality/open-meteo/csv';
import { buildExamples, featureSpecFor } from '../core/ml/features';
import { loadModel, trainingParams, trainModel } from '../core/ml/models';
import type { Model } from '../core/ml/models/model';
import { chronologicalSplit } from '../core/ml/split';

const csv = bundledExports.lyon2024;
const python = path.join(repoRoot, '.tools', 'venvs', 'lightgbm-ref', 'bin', 'python');
const seedRow = { pm2_5: 7.2, pm10: 11.5, carbon_monoxide: 135.0, sulphur_dioxide: 0.9, uv_index: 1.0 };

function championLike(): LoadedModel {
  const readings = parseOpenMeteoCsv(readFileSync(csv, 'utf8'));
  const spec = featureSpecFor('instant', 0);
  const { train } = chronologicalSplit(buildExamples([{ locationId: 'lyon', readings }], spec), {
    validationFrom: '2024-11-01T00:00:00Z',
    testFrom: '2024-12-01T00:00:00Z',
    testTo: '2025-01-01T00:00:00Z',
  });
  return benchModel(trainModel('random-forest', train, trainingParams.parse({})));
}

function benchModel(model: Model): LoadedModel {
  return {
    name: 'aqi-eaqi-instant',
    version: 'bench',
    alias: 'champion',
    runId: 'bench',
    model,
    metrics: {},
    tags: {},
    loadedAt: new Date().toISOString(),
  };
}

interface LoadResult {
  tool: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const seedBody = JSON.stringify({ data: seedRow });

/**
 * Single-row load, 50 connections, 10 s. wrk (Debian `apt-get install wrk`, C, one thread) when it is
 * installed: it leaves more of the two cores to the server than autocannon, a Node process of its own
 * (in this process it would share the event loop with the server under test and measure itself).
 */
async function load(url: string): Promise<LoadResult> {
  const wrk = await hasWrk();
  // A short unmeasured run first: JIT warm-up, and the garbage of training collected before timing starts.
  await (wrk ? loadWithWrk(url, 3) : loadWithAutocannon(url, 3));
  return wrk ? loadWithWrk(url, 10) : loadWithAutocannon(url, 10);
}

async function hasWrk(): Promise<boolean> {
  const child = spawn('wrk', ['--version'], { stdio: 'ignore' });
  return new Promise((resolve) => {
    child.once('error', () => resolve(false));
    child.once('exit', () => resolve(true));
  });
}

async function capture(command: string, args: string[]): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return out;
}

async function loadWithWrk(url: string, seconds: number): Promise<LoadResult> {
  const script = path.join(mkdtempSync(path.join(tmpdir(), 'aqi-bench-')), 'predict.lua');
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(seedBody)}\nwrk.headers["Content-Type"] = "application/json"\n`,
  );
  const out = await capture('wrk', ['-t1', '-c50', `-d${seconds}s`, '--latency', '-s', script, `${url}/predict`]);
  const ms = (label: string) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\b`, 'm').exec(out);
    if (!m) throw new Error(`wrk printed no ${label}th percentile:\n${out}`);
    return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'] ?? Number.NaN);
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  return { tool: 'wrk', rps, p50: ms('50'), p99: ms('99'), errors };
}

async function loadWithAutocannon(url: string, seconds: number): Promise<LoadResult> {
  const cli = path.join(repoRoot, 'node_modules', 'autocannon', 'autocannon.js');
  const args = [cli, '-j', '-c', '50', '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json'];
  args.push('-b', seedBody, `${url}/predict`);
  const result = JSON.parse(await capture(process.execPath, args)) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    tool: 'autocannon',
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function batch(url: string): Promise<{ p50: number; p99: number }> {
  const body = JSON.stringify({ data: Array.from({ length: 1000 }, (_, i) => ({ ...seedRow, pm2_5: i % 90 })) });
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`batch answered ${response.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[49] ?? Number.NaN, p99: times[98] ?? Number.NaN };
}

async function startReference(port: number): Promise<(() => void) | undefined> {
  if (!existsSync(python)) return undefined;
  const server = spawn(
    python,
    [path.join(repoRoot, 'bench', 'reference', 'fastapi_server.py'), '--port', String(port)],
    {
      stdio: 'inherit',
    },
  );
  for (let i = 0; i < 120; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (
      await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return () => server.kill();
  }
  server.kill();
  throw new Error('the FastAPI reference did not come up in 60 s');
}

/** The production app around one in-memory champion (no MLflow, no database: only /predict is loaded). */
function appServing(served: LoadedModel) {
  return createApp({
    logger: pino({ level: 'silent' }),
    readiness: {},
    models: {
      get: () => served,
      list: () => [served],
      reload: () => Promise.resolve([]),
      startPolling() {},
      stop() {},
    },
    serving: { predictModel: served.name, maxBatchRows: 10_000, maxBodyBytes: '5mb' },
    keys: [],
  });
}

/** One process of the API_WORKERS=2 variant: the champion arrives as JSON, like from the registry. */
function serveClusterWorker() {
  const file = process.env.BENCH_MODEL_FILE ?? '';
  const served = benchModel(loadModel(JSON.parse(readFileSync(file, 'utf8'))));
  appServing(served).listen(Number(process.env.BENCH_PORT), '127.0.0.1', () => process.send?.('listening'));
}

/** Two API processes on one port (node:cluster, as API_WORKERS=2 runs them). */
async function startCluster(served: LoadedModel, port: number): Promise<() => void> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'aqi-bench-')), 'model.json');
  writeFileSync(file, JSON.stringify(served.model.toJSON()));
  const workers = [0, 1].map(() => cluster.fork({ BENCH_MODEL_FILE: file, BENCH_PORT: String(port) }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  return () => workers.forEach((w) => w.kill());
}

async function main() {
  console.log('[bench] training the champion-like instant model (default params)…');
  const served = championLike();
  const server = appServing(served).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const ours = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows: string[] = [];
  try {
    console.log('[bench] ours: single-row load (50 connections, 10 s)…');
    const single = await load(ours);
    console.log(`[bench] load generator: ${single.tool}`);
    console.log('[bench] ours: 1,000-row batches…');
    const big = await batch(ours);
    rows.push(
      `| ours: Express + random forest (40 trees) | ${Math.round(single.rps)} | ${single.p50} | ${single.p99} | ${single.errors} | ${big.p50.toFixed(1)} | ${big.p99.toFixed(1)} |`,
    );
    console.log('[bench] ours with API_WORKERS=2: single-row load and batches…');
    const stopCluster = await startCluster(served, 18766);
    try {
      const two = await load('http://127.0.0.1:18766');
      const twoBig = await batch('http://127.0.0.1:18766');
      rows.push(
        `| ours, 2 processes (API_WORKERS=2) | ${Math.round(two.rps)} | ${two.p50} | ${two.p99} | ${two.errors} | ${twoBig.p50.toFixed(1)} | ${twoBig.p99.toFixed(1)} |`,
      );
    } finally {
      stopCluster();
    }
    console.log('[bench] reference: starting FastAPI + LightGBM…');
    const stop = await startReference(18765);
    if (stop) {
      try {
        const refSingle = await load('http://127.0.0.1:18765');
        const refBig = await batch('http://127.0.0.1:18765');
        rows.push(
          `| reference: FastAPI + uvicorn + LightGBM (seed's way) | ${Math.round(refSingle.rps)} | ${refSingle.p50} | ${refSingle.p99} | ${refSingle.errors} | ${refBig.p50.toFixed(1)} | ${refBig.p99.toFixed(1)} |`,
          `| ratio ours / reference | ${(single.rps / refSingle.rps).toFixed(2)}× | | | | ${(big.p50 / refBig.p50).toFixed(2)}× | |`,
        );
      } finally {
        stop();
      }
    } else {
      rows.push('| reference | not run: create the venv described in bench/reference/fastapi_server.py | | | | | |');
    }
  } finally {
    server.close();
  }
  console.log(
    `\n| server | single-row req/s | p50 ms | p99 ms | errors | 1,000-row batch p50 ms | p99 ms |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}`,
  );
}

if (cluster.isWorker) serveClusterWorker();
else
  main().catch((err: unknown) => {
    console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });

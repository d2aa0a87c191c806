import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';

import { Kafka, logLevel, Partitioners } from 'kafkajs';

import { createPool } from '../../adapters/postgres/pool';
import { loadConfig, type Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import { simulate } from '../../core/sensors/simulator/simulate';
import { appProcesses, type AppProcess } from '../../stack/app-processes';
import { stackLayout, type StackLayout } from '../../stack/layout';
import { stopDetached } from '../../stack/processes';

import { scenarioThresholds } from './quality';
import { lyonReference, scenarioOptions, type ScenarioArgs } from './scenario';
import { benchEnv, offset } from './stack/bench-env';
import { latency } from './stack/latency';
import type { StackOptions, StackPhase } from './stack/options';
import { throughput } from './stack/throughput';
import { twoDetectors } from './stack/two-detectors';

/**
 * The detector process on a stack of its own: ports = the test stack's + AQI_TEST_PORT_OFFSET (700 unless
 * set), a scratch state directory (removed at the end), the shared tool installs. The stack's own
 * supervised detector consumes `sensors.raw` as in production; this process produces, watches PostgreSQL
 * and the topics, and compares what was stored with the detector core run here on the same messages.
 *
 * Each phase uses sensors of its own (a fresh prefix) and event times after the previous phase's: the
 * watermark is per partition, shared by every sensor of it. The phases are in `stack/`.
 */

export { stackPhases, type StackOptions, type StackPhase } from './stack/options';

const dayMs = 86_400_000;

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

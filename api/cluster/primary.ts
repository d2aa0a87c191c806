import cluster, { type Worker } from 'node:cluster';

import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

import type { Logger } from '../../adapters/logger';
import type { ReloadOutcome } from '../models/model-store';

import { primaryHub, type Channel } from './ipc';

/** Per model, the outcome to report when processes disagree: a failed load wins, it needs attention. */
export function mergeReloadOutcomes(parts: readonly ReloadOutcome[][]): ReloadOutcome[] {
  const byName = new Map<string, ReloadOutcome>();
  for (const outcome of parts.flat()) {
    const seen = byName.get(outcome.name);
    if (!seen || (outcome.result === 'failed' && seen.result !== 'failed')) byName.set(outcome.name, outcome);
  }
  return [...byName.values()];
}

/** Sums the processes' Prometheus metrics (prom-client's own aggregation: counters and histograms add up). */
export async function aggregateMetrics(parts: readonly unknown[]): Promise<string> {
  return AggregatorRegistry.aggregate(parts as MetricObjectWithValues<MetricValue<string>>[][]).metrics();
}

const channelOf = (worker: Worker): Channel => ({
  send: (message) => worker.send(message),
  onMessage: (listener) => worker.on('message', listener),
});

/**
 * The primary of `API_WORKERS` > 1: forks the API processes (they share API_PORT), starts a new one when
 * one dies, answers their cluster-wide questions (/metrics sums every process, /reload reloads every
 * process), and on SIGTERM/SIGINT lets each drain before exiting.
 */
export function runApiPrimary(options: { workers: number; logger: Logger }): void {
  const { logger } = options;
  const live = new Set<Worker>();
  let stopping = false;
  const hub = primaryHub({
    workers: () => [...live].filter((w) => w.isConnected()).map(channelOf),
    combine: {
      metrics: aggregateMetrics,
      reload: (parts) => mergeReloadOutcomes(parts as ReloadOutcome[][]),
    },
    onMissing: (kind, missing) => logger.warn({ kind, missing }, 'some API processes did not answer in time'),
  });

  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    hub.attach(channelOf(worker));
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) process.exit(0);
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, 'an API process exited; starting another');
      setTimeout(fork, 1000).unref();
    });
  };
  for (let i = 0; i < options.workers; i++) fork();
  logger.info({ workers: options.workers }, 'api primary started its processes');

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, processes: live.size }, 'api shutting down');
    for (const worker of live) worker.process.kill('SIGTERM');
    if (live.size === 0) process.exit(0);
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

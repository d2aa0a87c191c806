import { DefaultLogger, Runtime, type LogLevel, type RuntimeOptions } from '@temporalio/worker';

import { describeError } from '../../core/errors';
import type { Logger } from '../logger';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

export interface TemporalRuntimeOptions {
  logger: Logger;
  level?: LogLevel;
  /** Where the SDK serves its own Prometheus metrics (`GET /metrics`); left out, it serves none. */
  metrics?: { host: string; port: number };
}

/**
 * Installs the Temporal SDK's runtime of a worker process, once, before its first connection:
 * - its logs (worker, workflow `log`, activity `log`) go into the platform's JSON logs;
 * - with `metrics`, the SDK's own Prometheus exporter serves the workflow and activity outcomes, task
 *   latencies, slots and pollers (`temporal_*`), counters with `_total` and durations in seconds, as
 *   Prometheus names them. A taken port costs the metrics of this instance, logged, never the worker.
 * Returns whether metrics are served.
 */
export function installTemporalRuntime(options: TemporalRuntimeOptions): boolean {
  const logger = new DefaultLogger(options.level ?? 'INFO', (entry) => {
    options.logger[levels[entry.level]]({ sdk: 'temporal', ...entry.meta }, entry.message);
  });
  if (options.metrics === undefined) {
    Runtime.install({ logger });
    return false;
  }
  const bindAddress = `${options.metrics.host}:${String(options.metrics.port)}`;
  const withMetrics: RuntimeOptions = {
    logger,
    telemetryOptions: {
      metrics: { prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true } },
    },
  };
  try {
    Runtime.install(withMetrics);
  } catch (err) {
    options.logger.warn(
      { err: describeError(err), bindAddress },
      'Temporal metrics not served: the port is taken (another instance of this process?)',
    );
    Runtime.install({ logger });
    return false;
  }
  options.logger.info({ url: `http://${bindAddress}/metrics` }, 'metrics served');
  return true;
}

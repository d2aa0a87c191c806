import { createKafka } from '../adapters/kafka/client';
import { createLogger } from '../adapters/logger';
import { serveMetrics } from '../adapters/metrics/serve';
import { createPool } from '../adapters/postgres/pool';
import { configFromEnvironment } from '../config/runtime';
import { describeError } from '../core/errors';
import { topics } from '../core/topics';

import { createStreamMetrics } from './stream/metrics';
import { createStreamProcessor, defaultGroupId } from './stream/processor';

/**
 * The stream processor of `aqi.raw`: validates, indexes and stores each reading, publishes it on
 * `aqi.transformed`, and dead-letters what cannot be processed on `aqi.dlq`. Prometheus metrics at
 * STREAM_METRICS_PORT (`workers/stream/metrics.ts`). SIGINT/SIGTERM stop fetching,
 * let the chunk in flight finish and commit, disconnect from Kafka, close the pool, and exit 0.
 */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('stream-processor', config.logLevel);
  const pool = createPool(config, { applicationName: 'aqi-stream-processor', max: 6, logger });
  const metrics = createStreamMetrics();
  const metricsServer = serveMetrics(metrics.registry, {
    host: config.bindHost,
    port: config.metrics.streamPort,
    logger,
  });

  let closing: Promise<void> | undefined;
  const close = (exitCode: number, why: Record<string, unknown>): Promise<void> =>
    (closing ??= (async () => {
      logger.info(why, 'stream processor shutting down');
      await processor.stop().catch((err: unknown) => logger.error({ err: describeError(err) }, 'stop failed'));
      await pool.end();
      await metricsServer.close();
      process.exit(exitCode);
    })());

  const processor = createStreamProcessor({
    kafka: createKafka(config, logger),
    pool,
    logger,
    topics: { raw: topics.aqiRaw, transformed: topics.aqiTransformed, deadLetter: topics.aqiDeadLetter },
    groupId: defaultGroupId,
    onFatalError: (error) => void close(1, { reason: 'consumer crashed', err: describeError(error) }),
    observer: metrics.observer,
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void close(0, { signal }));
  }
  await processor.start();
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

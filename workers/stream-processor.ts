import { createKafka } from '../adapters/kafka/client';
import { createLogger } from '../adapters/logger';
import { createPool } from '../adapters/postgres/pool';
import { configFromEnvironment } from '../config/runtime';
import { describeError } from '../core/errors';
import { topics } from '../core/topics';

import { createStreamProcessor, defaultGroupId } from './stream/processor';

/**
 * The stream processor of `aqi.raw`: validates, indexes and stores each reading, publishes it on
 * `aqi.transformed`, and dead-letters what cannot be processed on `aqi.dlq`. SIGINT/SIGTERM stop fetching,
 * let the chunk in flight finish and commit, disconnect from Kafka, close the pool, and exit 0.
 */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('stream-processor', config.logLevel);
  const pool = createPool(config, { applicationName: 'aqi-stream-processor', max: 6, logger });

  let closing: Promise<void> | undefined;
  const close = (exitCode: number, why: Record<string, unknown>): Promise<void> =>
    (closing ??= (async () => {
      logger.info(why, 'stream processor shutting down');
      await processor.stop().catch((err: unknown) => logger.error({ err: describeError(err) }, 'stop failed'));
      await pool.end();
      process.exit(exitCode);
    })());

  const processor = createStreamProcessor({
    kafka: createKafka(config, logger),
    pool,
    logger,
    topics: { raw: topics.aqiRaw, transformed: topics.aqiTransformed, deadLetter: topics.aqiDeadLetter },
    groupId: defaultGroupId,
    onFatalError: (error) => void close(1, { reason: 'consumer crashed', err: describeError(error) }),
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

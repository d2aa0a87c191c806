import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Message,
  type Producer,
} from 'kafkajs';
import type pg from 'pg';

import type { Logger } from '../../adapters/logger';
import { loadReadingHistory } from '../../adapters/postgres/readings-history';
import type { DeadLetter, RawReadingMessage, TransformedReadingMessage } from '../../core/air-quality/messages';
import { AppError, describeError } from '../../core/errors';
import { batchChunks, commitChunk, lagAfter, startConsuming } from '../batch-commit';
import { pauseBeforeRetry } from '../batch-retry';

import { toDeadLetter } from './dead-letter';
import { decodeRawReading } from './decode';
import { createKnownLocations } from './known-locations';
import { storeIndexed } from './store';
import { createThroughputLog, type StreamTotals } from './throughput-log';
import { indexNewReadings } from './transform';

/**
 * The stream path of `aqi.raw`, chunk by chunk (a chunk is at most `maxMessages` of one fetched batch):
 * 1. decode each record; a bad one (not JSON, off contract, key ≠ location, unknown location) becomes a dead letter;
 * 2. index the valid ones over their location's stored past (`indexNewReadings`);
 * 3. store them (`storeReadings`, an idempotent upsert), then publish them on `aqi.transformed` and the
 *    dead letters on `aqi.dlq`;
 * 4. only then resolve and commit the chunk's offsets: at-least-once, and a redelivery rewrites nothing.
 * A failure in 2-4 (database or broker down) commits nothing: after a bounded pause the batch is handed back
 * to kafkajs, which fetches it again. A valid message is never dead-lettered because a dependency failed.
 */

export const defaultGroupId = 'aqi-stream-processor';

export interface StreamProcessorDeps {
  kafka: Kafka;
  pool: pg.Pool;
  logger: Logger;
  topics: { raw: string; transformed: string; deadLetter: string };
  groupId?: string;
  batch?: { maxMessages?: number; maxBytesPerPartition?: number; partitionsConsumedConcurrently?: number };
  /** Pause before a failed batch is handed back for retry: doubles from `initialMs` up to `maxMs`. */
  retryPause?: { initialMs?: number; maxMs?: number };
  metricsIntervalMs?: number;
  /** Called when kafkajs gives up on the consumer (a crash it does not restart from). */
  onFatalError?: (error: Error) => void;
  /** Told what each chunk did (the process's Prometheus metrics). */
  observer?: StreamObserver;
}

/** What a committed chunk did, for metrics. */
export interface StreamChunkReport extends StreamTotals {
  topic: string;
  partition: number;
  /** Records of the partition after the chunk not fetched yet (Kafka's high watermark − next offset). */
  lag: number;
  /** From the first decode to the offsets' commit. */
  seconds: number;
  /** From the chunk's oldest record's Kafka timestamp to the offsets' commit. */
  storedAfterSeconds: number;
}

export interface StreamObserver {
  chunkCommitted(report: StreamChunkReport): void;
  /** A chunk failed: nothing committed, the batch is fetched again. */
  chunkFailed(report: { topic: string; partition: number }): void;
}

export interface StreamProcessor {
  start(): Promise<void>;
  /** Stops fetching, lets the chunk in flight finish and commit, then disconnects. The pool stays open. */
  stop(): Promise<void>;
  totals(): StreamTotals;
}

const maxMessagesPerSend = 500; // keeps each produce request well under the broker's 1 MB batch limit

export function createStreamProcessor(deps: StreamProcessorDeps): StreamProcessor {
  const { kafka, pool, logger, topics } = deps;
  const groupId = deps.groupId ?? defaultGroupId;
  const maxMessages = deps.batch?.maxMessages ?? 5000;
  const pause = { initialMs: deps.retryPause?.initialMs ?? 1000, maxMs: deps.retryPause?.maxMs ?? 30_000 };
  const knownLocations = createKnownLocations(pool);
  const metrics = createThroughputLog(logger, deps.metricsIntervalMs);
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Murmur2 on the key, as the Java client does: one location, one partition, whoever produces.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  // Fetch a few MB per partition so a chunk (one transaction, one history query per location) holds thousands.
  const consumer: Consumer = kafka.consumer({
    groupId,
    maxBytesPerPartition: deps.batch?.maxBytesPerPartition ?? 4 * 1024 * 1024,
    maxBytes: 16 * 1024 * 1024,
  });
  let failures = 0;

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    logger.error({ err: describeError(payload.error), groupId }, 'stream consumer crashed and will not restart');
    deps.onFatalError?.(payload.error);
  });

  async function decodeChunk(topic: string, partition: number, records: KafkaMessage[]) {
    const valid: RawReadingMessage[] = [];
    const rejected: DeadLetter[] = [];
    for (const record of records) {
      const decoded = decodeRawReading(record);
      if (decoded.ok && (await knownLocations.has(decoded.message.locationId))) {
        valid.push(decoded.message);
        continue;
      }
      const reason = decoded.ok
        ? `locationId: "${decoded.message.locationId}" is not in the locations table`
        : decoded.reason;
      rejected.push(toDeadLetter({ topic, partition, ...record }, reason, new Date()));
    }
    return { valid, rejected };
  }

  async function publish(topic: string, messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += maxMessagesPerSend) {
      await producer.send({ topic, messages: messages.slice(i, i + maxMessagesPerSend) });
    }
  }

  async function processChunk(
    topic: string,
    partition: number,
    records: KafkaMessage[],
    heartbeat: () => Promise<void>,
  ) {
    const { valid, rejected } = await decodeChunk(topic, partition, records);
    const indexed = await indexNewReadings(valid, (id, earliest, until) =>
      loadReadingHistory(pool, id, earliest, { until }),
    );
    await heartbeat();
    const stored = await storeIndexed(pool, indexed);
    const storedAt = new Date().toISOString();
    const transformed = indexed.map(({ message, indices }): Message => {
      const out: TransformedReadingMessage = { ...message, schema: 'aqi.transformed/v1', indices, storedAt };
      return { key: message.locationId, value: JSON.stringify(out) };
    });
    const letters = rejected.map((letter): Message => ({ key: letter.key, value: JSON.stringify(letter) }));
    await Promise.all([publish(topics.transformed, transformed), publish(topics.deadLetter, letters)]);
    return { consumed: records.length, stored, deadLettered: rejected.length };
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (const { chunk, last } of batchChunks(payload, maxMessages)) {
      const started = performance.now();
      let result: StreamTotals;
      try {
        result = await processChunk(batch.topic, batch.partition, chunk, payload.heartbeat);
      } catch (err) {
        failures += 1;
        deps.observer?.chunkFailed({ topic: batch.topic, partition: batch.partition });
        if (err instanceof AppError && err.code === 'UNKNOWN_LOCATION') knownLocations.forget();
        logger.warn(
          {
            err: describeError(err),
            topic: batch.topic,
            partition: batch.partition,
            fromOffset: chunk[0]?.offset,
            failures,
          },
          'chunk failed, nothing committed; the batch will be fetched again',
        );
        await pauseBeforeRetry(payload, failures, pause);
        throw err;
      }
      failures = 0;
      await commitChunk(payload, last);
      const lag = lagAfter(batch, last);
      metrics.record({ ...result, topic: batch.topic, partition: batch.partition, lag });
      const oldest = Math.min(...chunk.map((record) => Number(record.timestamp)));
      deps.observer?.chunkCommitted({
        ...result,
        topic: batch.topic,
        partition: batch.partition,
        lag,
        seconds: (performance.now() - started) / 1000,
        storedAfterSeconds: Math.max(0, (Date.now() - oldest) / 1000),
      });
    }
  }

  return {
    async start() {
      await startConsuming({ producer, consumer }, topics.raw, {
        partitionsConsumedConcurrently: deps.batch?.partitionsConsumedConcurrently ?? 3,
        eachBatch,
      });
      metrics.start();
      logger.info({ groupId, topics }, 'stream processor consuming');
    },
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
      metrics.stop();
      logger.info({ groupId, ...metrics.totals() }, 'stream processor stopped');
    },
    totals: () => metrics.totals(),
  };
}

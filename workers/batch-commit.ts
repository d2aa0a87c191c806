import type { Batch, Consumer, EachBatchHandler, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';

/**
 * At-least-once consumption in chunks, as the stream processor and the sensor detector consume: kafkajs
 * neither resolves nor commits offsets by itself, so a chunk counts as consumed only when `commitChunk` runs,
 * after what it produced is stored; a chunk that fails is fetched again (`pauseBeforeRetry`).
 */

/** Connects both clients, then runs `eachBatch` over `topic` (from its beginning for a new group). */
export async function startConsuming(
  clients: { producer: Producer; consumer: Consumer },
  topic: string,
  options: { partitionsConsumedConcurrently: number; eachBatch: EachBatchHandler },
): Promise<void> {
  await clients.producer.connect();
  await clients.consumer.connect();
  await clients.consumer.subscribe({ topics: [topic], fromBeginning: true });
  await clients.consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    eachBatch: options.eachBatch,
  });
}

/**
 * A fetched batch's records in chunks of at most `maxMessages`, each with its last offset. Stops before the
 * next chunk once the consumer is stopping or kafkajs marks the batch stale: what is left is fetched again.
 */
export function* batchChunks(
  payload: Pick<EachBatchPayload, 'batch' | 'isRunning' | 'isStale'>,
  maxMessages: number,
): Generator<{ chunk: KafkaMessage[]; last: string }> {
  const { messages } = payload.batch;
  for (let i = 0; i < messages.length; i += maxMessages) {
    if (!payload.isRunning() || payload.isStale()) return;
    const chunk = messages.slice(i, i + maxMessages);
    yield { chunk, last: (chunk[chunk.length - 1] as KafkaMessage).offset };
  }
}

/** Marks the chunk ending at `lastOffset` as consumed: resolves and commits its offsets, then heartbeats. */
export async function commitChunk(
  payload: Pick<EachBatchPayload, 'resolveOffset' | 'commitOffsetsIfNecessary' | 'uncommittedOffsets' | 'heartbeat'>,
  lastOffset: string,
): Promise<void> {
  payload.resolveOffset(lastOffset);
  await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
  await payload.heartbeat();
}

/** Records of the batch's partition after `lastOffset` not fetched yet (Kafka's high watermark − next offset). */
export function lagAfter(batch: Pick<Batch, 'highWatermark'>, lastOffset: string): number {
  return Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(lastOffset) - 1n));
}

import { Partitioners } from 'kafkajs';

/**
 * The partition kafkajs's `DefaultPartitioner` (the one the platform's producers use) picks for a keyed
 * message on a topic of `count` partitions: murmur2 of the key, the Java client's choice. Lets a replay
 * in one process split messages exactly as the broker would, one detector state per partition.
 */
export function partitionForKey(key: string, count: number, topic = 'any'): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`partition count must be a positive integer`);
  return partitioner({
    topic,
    partitionMetadata: metadata(count),
    message: { key, value: null },
  });
}

const partitioner = Partitioners.DefaultPartitioner();
const metadataByCount = new Map<number, ReturnType<typeof buildMetadata>>();

function buildMetadata(count: number) {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));
}

function metadata(count: number) {
  let known = metadataByCount.get(count);
  if (known === undefined) {
    known = buildMetadata(count);
    metadataByCount.set(count, known);
  }
  return known;
}

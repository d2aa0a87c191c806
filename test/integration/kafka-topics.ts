import { randomUUID } from 'node:crypto';

import type { Admin, Kafka } from 'kafkajs';

/** Messages a topic holds now, over all its partitions. */
export async function topicSize(admin: Admin, topic: string): Promise<number> {
  const ends = await admin.fetchTopicOffsets(topic);
  return ends.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/** The offsets a consumer group has committed on a topic, summed over its partitions. */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** The end offsets of a topic, summed over its partitions: what a caught-up group has committed. */
export async function endOffsets(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
}

/** Every message of a topic, read from the start by a throwaway group. */
export async function readTopic(
  kafka: Kafka,
  admin: Admin,
  topic: string,
): Promise<{ partition: number; key: string; value: string }[]> {
  const total = await topicSize(admin, topic);
  const read: { partition: number; key: string; value: string }[] = [];
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          read.push({ partition: batch.partition, key: String(m.key), value: String(m.value) });
        }
        if (read.length >= total) done();
      },
    });
    if (total > 0) await all;
  } finally {
    await consumer.disconnect();
  }
  return read;
}

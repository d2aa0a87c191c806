import type { Admin, Producer } from 'kafkajs';

import type { Simulation } from '../../../core/sensors/simulator/simulate';
import { topics } from '../../../core/topics';
import { detectorGroupId } from '../../../workers/detector/processor';

/** What the bench does with the broker: produce the readings, read end offsets and the detector's group. */

export async function endOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/**
 * Produces in send order, one send at a time: two sends in flight may land in either order, and a reading
 * overtaken by thousands of others is older than the allowed lateness when it arrives (refused as late).
 */
export async function produceAll(producer: Producer, simulation: Simulation): Promise<void> {
  await produceInOrder(producer, simulation.messages);
}

export async function produceInOrder(producer: Producer, messages: readonly { key: string; value: string }[]) {
  const batch = 5000;
  for (let i = 0; i < messages.length; i += batch) {
    const slice = messages.slice(i, i + batch);
    await producer.send({ topic: topics.sensorsRaw, messages: slice.map((m) => ({ key: m.key, value: m.value })) });
  }
}

export async function groupMembers(admin: Admin): Promise<{ state: string; members: number }> {
  const { groups } = await admin.describeGroups([detectorGroupId]);
  return { state: groups[0]?.state ?? 'Unknown', members: groups[0]?.members.length ?? 0 };
}

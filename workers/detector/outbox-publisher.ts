import type { Producer } from 'kafkajs';
import type pg from 'pg';

import type { Logger } from '../../adapters/logger';
import { deleteOutbox, pendingOutbox, type OutboxMessage } from '../../adapters/postgres/sensor-stream';
import { describeError } from '../../core/errors';

import type { DetectorObserver, IncidentDelivery } from './processor';

/** Most Kafka messages one send carries, whatever their topics. */
const maxMessagesPerSend = 500;

export interface OutboxPublisher {
  /**
   * Publishes what the outbox holds for the partitions this process owns, then clears what went out; resolves
   * to how many entries were published. Calls while a flush runs share it.
   */
  flush(): Promise<number>;
}

/**
 * Step 5 of the detector: the outbox its chunks committed (processed readings, anomalies, dead letters, and
 * incidents to open or close) goes to Kafka and Temporal. At least once: an entry is deleted only after it
 * was sent, so a crash in between sends it again. An incident Temporal does not take stays for the next flush
 * and holds back only the incidents after it.
 */
export function createOutboxPublisher(deps: {
  pool: pg.Pool;
  producer: Producer;
  logger: Logger;
  deliverIncident: IncidentDelivery;
  /** The partitions whose outbox is this process's to publish (those it consumes). */
  ownedPartitions: () => number[];
  observer?: Pick<DetectorObserver, 'outboxPublished'>;
}): OutboxPublisher {
  let flushing: Promise<number> | undefined;

  async function publish(rows: (OutboxMessage & { id: string })[]): Promise<string[]> {
    const done: string[] = [];
    // Up to `maxMessagesPerSend` messages a request, whatever their topics: one round trip to the broker
    // carries a chunk's processed readings and its anomalies together.
    const messages = rows.filter((row) => !row.target.startsWith('incident:'));
    for (let i = 0; i < messages.length; i += maxMessagesPerSend) {
      const slice = messages.slice(i, i + maxMessagesPerSend);
      const byTopic = new Map<string, { key: string | null; value: string }[]>();
      for (const m of slice) {
        const list = byTopic.get(m.target);
        if (list === undefined) byTopic.set(m.target, [{ key: m.key, value: m.payload }]);
        else list.push({ key: m.key, value: m.payload });
      }
      await deps.producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
      done.push(...slice.map((m) => m.id));
    }
    for (const row of rows.filter((r) => r.target.startsWith('incident:'))) {
      try {
        await deps.deliverIncident(row.target, row.payload);
        done.push(row.id);
      } catch (err) {
        // Temporal away: the entry stays in the outbox for the next flush; nothing else waits on it.
        deps.logger.warn(
          { err: describeError(err), target: row.target, anomalyId: row.key },
          'incident not delivered yet',
        );
        break;
      }
    }
    return done;
  }

  async function flushOnce(): Promise<number> {
    const owned = deps.ownedPartitions();
    if (owned.length === 0) return 0;
    let published = 0;
    for (;;) {
      const started = performance.now();
      const rows = await pendingOutbox(deps.pool, owned);
      if (rows.length === 0) return published;
      const done = await publish(rows);
      await deleteOutbox(deps.pool, done);
      deps.observer?.outboxPublished({ messages: done.length, seconds: (performance.now() - started) / 1000 });
      published += done.length;
      if (done.length < rows.length) return published;
    }
  }

  return {
    flush: () =>
      (flushing ??= flushOnce().finally(() => {
        flushing = undefined;
      })),
  };
}

import { hostname } from 'node:os';

import type { Consumer, Kafka } from 'kafkajs';

import { liveEventOf, liveTopics, type LiveEvent } from '../../core/dashboard/live-events';
import { describeError } from '../../core/errors';
import type { Logger } from '../logger';

/** A live event, a change of whether the feed is live, or its end (the process is shutting down). */
export type LiveListener = (event: LiveEvent | { type: 'status'; live: boolean } | { type: 'closed' }) => void;

export interface LiveFeed {
  /** Calls `listener` with every new event (and each change of `live`) until the returned function is called. */
  subscribe(listener: LiveListener): () => void;
  /** Whether the consumer is in its group and has fetched once: from then on, a new message is seen. */
  live(): boolean;
  start(): void;
  stop(): Promise<void>;
}

/** Between two attempts to join when Kafka is away at start. */
const retryConnectMs = 5000;

/**
 * The API process's one consumer of `aqi.transformed` and `sensors.anomalies`, shared by every open event
 * stream. Its group is its own (host and pid), so each API process of a cluster sees every message, and it
 * starts at the end of the topics (a live view, not a replay); it commits nothing, since where it stopped
 * does not matter to anyone. Kafka away at start: it tries again until stopped, and the API serves meanwhile.
 */
export function createLiveFeed(deps: { kafka: Kafka; logger: Logger; groupId?: string }): LiveFeed {
  const listeners = new Set<LiveListener>();
  const groupId = deps.groupId ?? `aqi-api-live-${hostname()}-${process.pid}`;
  let consumer: Consumer | undefined;
  let isLive = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const emit: LiveListener = (event) => {
    for (const listener of listeners) listener(event);
  };
  const setLive = (live: boolean) => {
    if (live === isLive) return;
    isLive = live;
    emit({ type: 'status', live });
  };

  async function connect(): Promise<void> {
    const c = deps.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    consumer = c;
    let joined = false;
    c.on(c.events.GROUP_JOIN, () => (joined = true));
    // The first fetch after joining has resolved the offsets: a message sent from now on is seen.
    c.on(c.events.FETCH, () => joined && setLive(true));
    c.on(c.events.CRASH, () => ((joined = false), setLive(false)));
    c.on(c.events.DISCONNECT, () => ((joined = false), setLive(false)));
    await c.connect();
    await c.subscribe({ topics: [...liveTopics], fromBeginning: false });
    await c.run({
      autoCommit: false,
      eachMessage: async ({ topic, message }) => {
        const event = message.value ? liveEventOf(topic, message.value.toString('utf8')) : undefined;
        if (event) emit(event);
      },
    });
  }

  function start(): void {
    if (stopped) return;
    connect().catch(async (err: unknown) => {
      deps.logger.warn({ err: describeError(err), retryInMs: retryConnectMs }, 'live feed could not join Kafka');
      await consumer?.disconnect().catch(() => undefined);
      if (!stopped) retry = setTimeout(start, retryConnectMs).unref();
    });
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    live: () => isLive,
    start,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      emit({ type: 'closed' });
      listeners.clear();
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}

import {
  Partitioners,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type pg from 'pg';

import type { Logger } from '../../adapters/logger';
import { listLocations } from '../../adapters/postgres/locations';
import { commitDetectorChunk, loadPartitionOffset, loadPartitionState } from '../../adapters/postgres/sensor-stream';
import { listSensors } from '../../adapters/postgres/sensors';
import { describeError } from '../../core/errors';
import type { SensorAnomaly } from '../../core/sensors/anomaly';
import { createDetectorState, type DetectorState } from '../../core/sensors/detector/detector-state';
import { restoreFromCheckpoints } from '../../core/sensors/detector/restore-checkpoints';
import type { SensorDeadLetter } from '../../core/sensors/messages';
import type { SensorReading } from '../../core/sensors/reading';
import type { DetectorThresholds } from '../../core/sensors/thresholds';
import { batchChunks, commitChunk, lagAfter, startConsuming } from '../batch-commit';
import { pauseBeforeRetry } from '../batch-retry';
import type { ConsumedRecord } from '../stream/dead-letter';

import { chunkOutputs } from './chunk-outputs';
import { decodeSensorRecord, toSensorDeadLetter } from './decode';
import { createOutboxPublisher } from './outbox-publisher';
import { refreshedEvery } from './refreshed';

/**
 * The anomaly detector of `sensors.raw`, chunk by chunk (one fetched batch of one partition at a time):
 * 1. bring the partition's detector state to the chunk: the one in memory when it ends where the chunk
 *    starts and matches the database, else the one stored with the partition's next offset (after a
 *    restart or a rebalance); records before that offset are already stored and are skipped;
 * 2. decode each record (bad ones, and readings of retired sensors, become dead letters with the reason);
 * 3. run the checks (`DetectorState.ingest`: event-time order behind the allowed lateness; duplicates taken
 *    once; too late or too far in the future → dead letters);
 * 4. in ONE transaction: checked readings, anomalies, the registry, an outbox of what to publish (processed
 *    readings, anomalies, dead letters, incidents to open or close) and the state with its next offset (the
 *    partition part and the checkpoints of the sensors the chunk touched, `snapshotChanges`);
 * 5. then publish the outbox (Kafka topics; `sensorIncident` workflows through Temporal) and commit the
 *    Kafka offsets. Publishing is at least once (a crash between sending and clearing sends again); what is
 *    stored, and the anomaly set, is exactly once, since the database says where every partition stands.
 * A failure in 2-4 keeps nothing in memory: the batch is fetched again and the state reloaded.
 */

export const detectorGroupId = 'aqi-sensor-detector';

export interface DetectorTopics {
  raw: string;
  processed: string;
  anomalies: string;
  deadLetter: string;
}

/** Carries an outbox entry that is not a Kafka message (an incident to open or close) to Temporal. */
export type IncidentDelivery = (target: string, payload: string) => Promise<void>;

export interface SensorDetectorDeps {
  kafka: Kafka;
  pool: pg.Pool;
  logger: Logger;
  topics: DetectorTopics;
  thresholds: DetectorThresholds;
  deliverIncident: IncidentDelivery;
  /** How long an unacknowledged incident waits before escalating (the incident workflow's input). */
  incidentEscalateAfter: string;
  groupId?: string;
  /** Wall time, for readings from the future; tests may pin it. */
  clock?: () => Date;
  /**
   * Most records per chunk (one transaction). A fetched batch (at most 4 MB per partition, ~16,000 readings)
   * is one chunk by default: each chunk also writes the checkpoints of the sensors it touched, which in a
   * backlog is every sensor of the partition, so fewer, larger chunks write them less often per reading.
   */
  maxMessagesPerChunk?: number;
  retryPause?: { initialMs?: number; maxMs?: number };
  outboxIntervalMs?: number;
  onFatalError?: (error: Error) => void;
  /** Told what each chunk and each outbox flush did (the process's Prometheus metrics). */
  observer?: DetectorObserver;
}

/** What a stored chunk did and where its time went (seconds), for metrics. */
export interface ChunkReport {
  partition: number;
  records: number;
  readingsStored: number;
  duplicates: number;
  /** Dead letters by kind (malformed, retired, late, future). */
  deadLetters: Partial<Record<SensorDeadLetter['kind'], number>>;
  anomalies: { type: SensorAnomaly['type']; closed: boolean }[];
  seconds: { state: number; decode: number; check: number; store: number };
  /** From the chunk's oldest record's Kafka timestamp to its transaction's commit. */
  storedAfterSeconds: number;
}

export interface DetectorObserver {
  chunkStored(report: ChunkReport): void;
  outboxPublished(report: { messages: number; seconds: number }): void;
  /** Records of the partition after the chunk that were not fetched yet (Kafka's high watermark − offset). */
  partitionLag(partition: number, lag: number): void;
}

export interface DetectorTotals {
  consumed: number;
  stored: number;
  duplicates: number;
  deadLettered: number;
  anomaliesOpened: number;
  anomaliesClosed: number;
}

export interface SensorDetector {
  start(): Promise<void>;
  stop(): Promise<void>;
  totals(): DetectorTotals;
  /** Publishes what the outbox holds for the partitions this process owns; resolves when done. */
  flushOutbox(): Promise<number>;
}

interface PartitionState {
  state: DetectorState;
  nextOffset: bigint;
}

const heartbeatEveryMs = 3000;

export function createSensorDetector(deps: SensorDetectorDeps): SensorDetector {
  const { kafka, pool, logger, topics } = deps;
  const groupId = deps.groupId ?? detectorGroupId;
  const clock = deps.clock ?? (() => new Date());
  const maxMessages = deps.maxMessagesPerChunk ?? 20_000;
  const pause = { initialMs: deps.retryPause?.initialMs ?? 1000, maxMs: deps.retryPause?.maxMs ?? 30_000 };
  const partitions = new Map<number, PartitionState>();
  // Read at most every 10 s, not per chunk: a retire or a new location takes effect within that time.
  const retired = refreshedEvery(
    10_000,
    async () => new Set((await listSensors(pool, { status: 'retired' })).map((s) => s.id)),
  );
  const locations = refreshedEvery(10_000, () => listLocations(pool));
  const totals: DetectorTotals = {
    consumed: 0,
    stored: 0,
    duplicates: 0,
    deadLettered: 0,
    anomaliesOpened: 0,
    anomaliesClosed: 0,
  };
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer: Consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4 * 1024 * 1024 });
  let failures = 0;
  let outboxTimer: NodeJS.Timeout | undefined;

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    logger.error({ err: describeError(payload.error), groupId }, 'detector consumer crashed and will not restart');
    deps.onFatalError?.(payload.error);
  });

  /** The state covering everything before `offset`: memory when it is current, else the stored one. */
  async function stateAt(topic: string, partition: number): Promise<PartitionState> {
    // The offset alone decides whether memory is current; the state is read only when it is not.
    const known = partitions.get(partition);
    const storedOffset = await loadPartitionOffset(pool, topic, partition);
    if (known && storedOffset !== undefined && known.nextOffset === BigInt(storedOffset)) return known;
    const stored = await loadPartitionState(pool, topic, partition);
    const fresh: PartitionState = stored
      ? {
          state: restoreFromCheckpoints(stored, deps.thresholds),
          nextOffset: BigInt(stored.nextOffset),
        }
      : { state: createDetectorState(deps.thresholds), nextOffset: -1n };
    partitions.set(partition, fresh);
    return fresh;
  }

  async function processChunk(topic: string, partition: number, records: KafkaMessage[]) {
    const started = performance.now();
    const current = await stateAt(topic, partition);
    const stateLoaded = performance.now();
    const fresh = records.filter((r) => current.nextOffset < 0n || BigInt(r.offset) >= current.nextOffset);
    const last = records[records.length - 1] as KafkaMessage;
    if (fresh.length === 0) return;
    const now = clock();
    const receivedAt = now.toISOString();
    const valid: SensorReading[] = [];
    const recordOf = new WeakMap<SensorReading, ConsumedRecord>();
    const letters: SensorDeadLetter[] = [];
    const retiredIds = await retired();
    for (const record of fresh) {
      const consumed: ConsumedRecord = {
        topic,
        partition,
        offset: record.offset,
        key: record.key,
        value: record.value,
      };
      const decoded = decodeSensorRecord(record);
      if (!decoded.ok) {
        letters.push(toSensorDeadLetter(consumed, 'malformed', decoded.reason, now));
      } else if (retiredIds.has(decoded.reading.sensor_id)) {
        const reason = `sensor_id: ${decoded.reading.sensor_id} is retired (airq sensors reinstate ${decoded.reading.sensor_id} to take its readings)`;
        letters.push(toSensorDeadLetter(consumed, 'retired', reason, now));
      } else {
        valid.push(decoded.reading);
        recordOf.set(decoded.reading, consumed);
      }
    }
    const decoded = performance.now();
    const letterFor = (reading: SensorReading, kind: SensorDeadLetter['kind'], reason: string) => {
      const consumed = recordOf.get(reading) ?? {
        topic,
        partition,
        offset: '-1',
        key: Buffer.from(reading.sensor_id),
        value: Buffer.from(JSON.stringify(reading)),
      };
      return toSensorDeadLetter(consumed, kind, reason, now);
    };
    try {
      const outputs = current.state.ingest(valid, { now: receivedAt });
      const out = chunkOutputs(outputs, {
        receivedAt,
        topics,
        incidentEscalateAfter: deps.incidentEscalateAfter,
        letterFor,
      });
      const rejected = new Set(outputs.flatMap((o) => (o.kind === 'rejected' ? [o.reading] : [])));
      const sightings = valid
        .filter((r) => !rejected.has(r))
        .map((r) => ({
          sensorId: r.sensor_id,
          latitude: r.location.lat,
          longitude: r.location.lon,
          observedAt: r.timestamp,
        }));
      const nextOffset = BigInt(last.offset) + 1n;
      const checked = performance.now();
      const stored = await commitDetectorChunk(pool, {
        topic,
        partition,
        nextOffset: String(nextOffset),
        state: current.state.snapshotChanges(),
        readings: out.readings,
        anomalies: out.anomalies,
        sightings,
        locations: await locations(),
        outbox: [
          ...letters.map((l) => ({ target: topics.deadLetter, key: l.key, payload: JSON.stringify(l) })),
          ...out.outbox,
        ],
      });
      current.nextOffset = nextOffset;
      const committed = performance.now();
      const deadLetters: ChunkReport['deadLetters'] = {};
      for (const letter of letters) deadLetters[letter.kind] = (deadLetters[letter.kind] ?? 0) + 1;
      for (const output of outputs) {
        if (output.kind !== 'rejected') continue;
        const kind = output.reason === 'too_late' ? 'late' : 'future';
        deadLetters[kind] = (deadLetters[kind] ?? 0) + 1;
      }
      deps.observer?.chunkStored({
        partition,
        records: fresh.length,
        readingsStored: stored.readingsWritten,
        duplicates: out.duplicates,
        deadLetters,
        anomalies: out.anomalies.map((a) => ({ type: a.anomaly.type, closed: a.closedAt !== undefined })),
        seconds: {
          state: (stateLoaded - started) / 1000,
          decode: (decoded - stateLoaded) / 1000,
          check: (checked - decoded) / 1000,
          store: (committed - checked) / 1000,
        },
        storedAfterSeconds: (Date.now() - Number((fresh[0] as KafkaMessage).timestamp)) / 1000,
      });
      totals.consumed += fresh.length;
      totals.stored += stored.readingsWritten;
      totals.duplicates += out.duplicates;
      totals.deadLettered += letters.length + outputs.filter((o) => o.kind === 'rejected').length;
      totals.anomaliesOpened += out.opened;
      totals.anomaliesClosed += out.closed;
    } catch (err) {
      // The state has taken readings that are not stored: forget it, the retry reloads the stored one.
      partitions.delete(partition);
      throw err;
    }
  }

  const outbox = createOutboxPublisher({
    pool,
    producer,
    logger,
    deliverIncident: deps.deliverIncident,
    ownedPartitions: () => [...partitions.keys()],
    ...(deps.observer ? { observer: deps.observer } : {}),
  });
  const flushOutbox = () => outbox.flush();

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (const { chunk, last } of batchChunks(payload, maxMessages)) {
      // A large chunk on a busy machine can outlast the session timeout: keep the membership alive meanwhile
      // (kafkajs sends at most one heartbeat per heartbeat interval, and none during a rebalance).
      const beating = setInterval(() => void payload.heartbeat().catch(() => undefined), heartbeatEveryMs);
      try {
        await processChunk(batch.topic, batch.partition, chunk);
      } catch (err) {
        failures += 1;
        logger.warn(
          { err: describeError(err), partition: batch.partition, fromOffset: chunk[0]?.offset, failures },
          'detector chunk failed, nothing stored; the batch will be fetched again',
        );
        await pauseBeforeRetry(payload, failures, pause);
        throw err;
      } finally {
        clearInterval(beating);
      }
      failures = 0;
      await flushOutbox().catch((err: unknown) =>
        logger.warn({ err: describeError(err) }, 'outbox not published yet; the next flush retries'),
      );
      await commitChunk(payload, last);
      deps.observer?.partitionLag(batch.partition, lagAfter(batch, last));
    }
  }

  return {
    async start() {
      await startConsuming({ producer, consumer }, topics.raw, { partitionsConsumedConcurrently: 3, eachBatch });
      outboxTimer = setInterval(() => {
        flushOutbox().catch((err: unknown) => logger.warn({ err: describeError(err) }, 'outbox flush failed'));
      }, deps.outboxIntervalMs ?? 5000);
      logger.info({ groupId, topics }, 'sensor detector consuming');
    },
    async stop() {
      clearInterval(outboxTimer);
      await consumer.disconnect();
      await flushOutbox().catch(() => undefined);
      await producer.disconnect();
      logger.info({ groupId, ...totals }, 'sensor detector stopped');
    },
    totals: () => ({ ...totals }),
    flushOutbox,
  };
}

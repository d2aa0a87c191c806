import type pg from 'pg';

import { AppError } from '../../core/errors';
import type { SensorAnomaly } from '../../core/sensors/anomaly';
import type { DetectorChanges } from '../../core/sensors/detector/checkpoint-codec';
import type { SensorReading } from '../../core/sensors/reading';
import type { SensorSighting } from '../../core/sensors/registry';

import { anomalyFromRow, anomalyRowValues, insertAnomalySql, type AnomalyRow } from './anomaly-row';
import { recordSightings } from './sensors';
import { withTransaction } from './transaction';

/** A checked reading as stored: the reading, the checks that fired (`type` or `type:measurement`), when taken. */
export interface CheckedReading {
  reading: SensorReading;
  flags: string[];
  receivedAt: string;
}

/** Something to publish once the chunk is committed: a Kafka message, or an incident to open or close. */
export interface OutboxMessage {
  target: string;
  key: string | null;
  payload: string;
}

export interface DetectorChunk {
  topic: string;
  partition: number;
  /** The offset after the chunk's last message: where this partition resumes. */
  nextOffset: string;
  /** The detector state the chunk changed: the partition part and the checkpoints of the sensors it touched. */
  state: DetectorChanges;
  readings: CheckedReading[];
  anomalies: { anomaly: SensorAnomaly; closedAt?: string }[];
  sightings: SensorSighting[];
  locations: readonly { id: string; latitude: number; longitude: number }[];
  outbox: OutboxMessage[];
}

/** Where a partition's stored state ends (its next offset), without the state: what every chunk checks. */
export async function loadPartitionOffset(
  pool: pg.Pool,
  topic: string,
  partition: number,
): Promise<string | undefined> {
  const { rows } = await pool.query<{ next_offset: string }>(
    'SELECT next_offset FROM sensor_detector_state WHERE topic = $1 AND partition = $2',
    [topic, partition],
  );
  return rows[0] ? String(rows[0].next_offset) : undefined;
}

/** A partition's stored detector state: the partition part, one checkpoint per sensor and the queued readings, as parsed JSON. */
export interface StoredPartitionState {
  nextOffset: string;
  partition: unknown;
  checkpoints: unknown[];
  queued: unknown[];
}

/**
 * Where a partition's stored state ends: its next offset and the detector state covering everything before
 * (read in one transaction, so the sensors' rows are those of the partition row read).
 */
export async function loadPartitionState(
  pool: pg.Pool,
  topic: string,
  partition: number,
): Promise<StoredPartitionState | undefined> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ next_offset: string; snapshot: unknown }>(
      'SELECT next_offset, snapshot FROM sensor_detector_state WHERE topic = $1 AND partition = $2',
      [topic, partition],
    );
    const row = rows[0];
    if (!row) return undefined;
    const sensors = await client.query<{ sensor_id: string; checkpoint: string }>(
      'SELECT sensor_id, checkpoint FROM sensor_detector_sensor_state WHERE topic = $1 AND partition = $2',
      [topic, partition],
    );
    const queue = await client.query<{ sensor_id: string; reading: string }>(
      'SELECT sensor_id, reading FROM sensor_detector_queue WHERE topic = $1 AND partition = $2',
      [topic, partition],
    );
    const parse = (text: string, what: string): unknown => {
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new AppError('DETECTOR_SNAPSHOT', `unreadable detector ${what} (${topic}/${partition})`, {
          cause: err,
          operational: false,
        });
      }
    };
    return {
      nextOffset: String(row.next_offset),
      partition: row.snapshot,
      checkpoints: sensors.rows.map((r) => parse(r.checkpoint, `checkpoint of ${r.sensor_id}`)),
      queued: queue.rows.map((r) => parse(r.reading, `queued reading of ${r.sensor_id}`)),
    };
  });
}

/**
 * Many texts as one parameter, a line each, for `string_to_array($n, E'\n')`: the driver's quoting of every
 * '"' of megabytes of JSON into an array literal cost more than PostgreSQL's split. JSON.stringify never
 * writes a raw newline, nor can a sensor id hold one; an empty text or one with a newline is a bug, refused.
 */
function asLines(texts: readonly string[]): string {
  if (texts.some((text) => text.length === 0 || text.includes('\n'))) {
    throw new AppError('UNSPLITTABLE_TEXT', 'a text to store line by line is empty or holds a newline', {
      operational: false,
    });
  }
  return texts.join('\n');
}

const measurementColumns = ['pm2_5', 'pm10', 'no2', 'o3', 'co', 'temperature', 'relative_humidity'] as const;

/**
 * One transaction per chunk: readings (a reading already stored stays as it is), anomalies (upsert by id:
 * opened, then grown and closed), the registry, the outbox and the partition's state with its next offset
 * (the partition part, the checkpoints of the sensors whose checks moved, the others' rows staying theirs,
 * and the queue's changes: the readings released leave it, the readings queued join it).
 * Either all of it is there or none, so a restart resumes from a state that matches the stored data.
 */
export async function commitDetectorChunk(pool: pg.Pool, chunk: DetectorChunk): Promise<{ readingsWritten: number }> {
  return withTransaction(pool, async (client) => {
    let readingsWritten = 0;
    if (chunk.readings.length > 0) {
      const column = (pick: (r: CheckedReading) => unknown) => chunk.readings.map(pick);
      const written = await client.query(
        `INSERT INTO sensor_readings (sensor_id, observed_at, latitude, longitude, ${measurementColumns.join(', ')},
           qc_flags, received_at)
         SELECT s, o, la, lo, m1, m2, m3, m4, m5, m6, m7, COALESCE(string_to_array(f, ','), '{}'), r
         FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[], $6::float8[],
           $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::text[], $13::timestamptz[])
           AS t(s, o, la, lo, m1, m2, m3, m4, m5, m6, m7, f, r)
         ON CONFLICT (sensor_id, observed_at) DO NOTHING`,
        [
          column((r) => r.reading.sensor_id),
          column((r) => r.reading.timestamp),
          column((r) => r.reading.location.lat),
          column((r) => r.reading.location.lon),
          ...measurementColumns.map((m) => column((r) => r.reading.measurements[m] ?? null)),
          column((r) => (r.flags.length > 0 ? r.flags.join(',') : null)),
          column((r) => r.receivedAt),
        ],
      );
      readingsWritten = written.rowCount ?? 0;
    }
    for (const { anomaly, closedAt } of chunk.anomalies) {
      await client.query(
        `${insertAnomalySql}
         ON CONFLICT (id) DO UPDATE SET severity = EXCLUDED.severity, score = EXCLUDED.score,
           window_end = EXCLUDED.window_end, evidence = EXCLUDED.evidence,
           closed_at = COALESCE(EXCLUDED.closed_at, a.closed_at), updated_at = now()`,
        anomalyRowValues(anomaly, closedAt),
      );
    }
    await recordSightings(client, chunk.sightings, chunk.locations);
    if (chunk.outbox.length > 0) {
      await client.query(
        `INSERT INTO sensor_outbox (partition, target, key, payload)
         SELECT $1, t, k, p FROM unnest($2::text[], $3::text[], string_to_array($4, E'\\n')) AS o(t, k, p)`,
        [
          chunk.partition,
          chunk.outbox.map((m) => m.target),
          chunk.outbox.map((m) => m.key),
          asLines(chunk.outbox.map((m) => m.payload)),
        ],
      );
    }
    await client.query(
      `INSERT INTO sensor_detector_state (topic, partition, next_offset, snapshot, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset,
         snapshot = EXCLUDED.snapshot, updated_at = now()`,
      [chunk.topic, chunk.partition, chunk.nextOffset, JSON.stringify(chunk.state.partition)],
    );
    const sensors = chunk.state.sensors;
    if (sensors.length > 0) {
      await client.query(
        `INSERT INTO sensor_detector_sensor_state (topic, partition, sensor_id, checkpoint)
         SELECT $1, $2, s, c FROM unnest(string_to_array($3, E'\\n'), string_to_array($4, E'\\n')) AS t(s, c)
         ON CONFLICT (topic, partition, sensor_id) DO UPDATE SET checkpoint = EXCLUDED.checkpoint`,
        [
          chunk.topic,
          chunk.partition,
          asLines(sensors.map((s) => s.sensorId)),
          asLines(sensors.map((s) => JSON.stringify(s))),
        ],
      );
    }
    const { queued, released } = chunk.state;
    if (released.length > 0) {
      await client.query(
        `DELETE FROM sensor_detector_queue q USING unnest($3::text[], $4::bigint[]) AS r(s, ms)
         WHERE q.topic = $1 AND q.partition = $2 AND q.sensor_id = r.s AND q.observed_ms = r.ms`,
        [chunk.topic, chunk.partition, released.map((r) => r.sensorId), released.map((r) => r.ms)],
      );
    }
    if (queued.length > 0) {
      await client.query(
        `INSERT INTO sensor_detector_queue (topic, partition, sensor_id, observed_ms, reading)
         SELECT $1, $2, s, ms, r FROM unnest($3::text[], $4::bigint[], string_to_array($5, E'\\n')) AS t(s, ms, r)
         ON CONFLICT (topic, partition, sensor_id, observed_ms) DO UPDATE SET reading = EXCLUDED.reading`,
        [
          chunk.topic,
          chunk.partition,
          queued.map((r) => r.sensor_id),
          queued.map((r) => Date.parse(r.timestamp)),
          asLines(queued.map((r) => JSON.stringify(r))),
        ],
      );
    }
    return { readingsWritten };
  });
}

/** What is still to be published for these partitions, oldest first. */
export async function pendingOutbox(
  pool: pg.Pool,
  partitions: readonly number[],
  limit = 5000,
): Promise<(OutboxMessage & { id: string })[]> {
  const { rows } = await pool.query<{ id: string; target: string; key: string | null; payload: string }>(
    'SELECT id, target, key, payload FROM sensor_outbox WHERE partition = ANY($1::int[]) ORDER BY id LIMIT $2',
    [partitions, limit],
  );
  return rows.map((r) => ({ id: String(r.id), target: r.target, key: r.key, payload: r.payload }));
}

export async function deleteOutbox(pool: pg.Pool, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await pool.query('DELETE FROM sensor_outbox WHERE id = ANY($1::bigint[])', [ids]);
}

/** A sensor's anomalies, newest first, as stored (open ones have no `closedAt`). */
export async function listSensorAnomalies(
  pool: pg.Pool,
  sensorId: string,
  limit = 50,
): Promise<(SensorAnomaly & { closed_at: string | null })[]> {
  const { rows } = await pool.query<AnomalyRow & { closed_at: Date | null }>(
    `SELECT id, sensor_id, type, measurement, severity, score, window_start, window_end, evidence, detected_at, closed_at
     FROM sensor_anomalies WHERE sensor_id = $1 ORDER BY window_start DESC, id LIMIT $2`,
    [sensorId, limit],
  );
  return rows.map((r) => ({
    ...anomalyFromRow(r),
    closed_at: r.closed_at ? r.closed_at.toISOString() : null,
  }));
}

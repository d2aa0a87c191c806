import { sensorDeadLetter, type SensorDeadLetter } from '../../core/sensors/messages';
import { sensorReading, type SensorReading } from '../../core/sensors/reading';
import { encodePayload, utf8Text, type ConsumedRecord } from '../stream/dead-letter';
import { describeIssues } from '../stream/decode';

export type DecodedSensorRecord = { ok: true; reading: SensorReading } | { ok: false; reason: string };

/**
 * A record of `sensors.raw` as a reading, or the reason it is not one: UTF-8 JSON, the reading contract
 * (core/sensors/reading.ts, each bad field named), and the key equal to the sensor id (one sensor, one
 * partition, so its readings stay in one detector's state).
 */
export function decodeSensorRecord(record: { key: Buffer | null; value: Buffer | null }): DecodedSensorRecord {
  if (record.value === null || record.value.length === 0) return { ok: false, reason: 'payload: empty message' };
  const text = utf8Text(record.value);
  if (text === null) return { ok: false, reason: 'payload: not UTF-8 text' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `payload: not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const parsed = sensorReading.safeParse(json);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error.issues) };
  const key = record.key === null ? null : record.key.toString('utf8');
  if (key !== parsed.data.sensor_id) {
    return {
      ok: false,
      reason:
        key === null
          ? `key: missing, expected the sensor_id "${parsed.data.sensor_id}"`
          : `key: "${key}" does not match sensor_id "${parsed.data.sensor_id}"`,
    };
  }
  return { ok: true, reading: parsed.data };
}

/** The `sensors.dlq` message for a record set aside: its original bytes, where it was, what kind and why. */
export function toSensorDeadLetter(
  record: ConsumedRecord,
  kind: SensorDeadLetter['kind'],
  reason: string,
  failedAt: Date,
): SensorDeadLetter {
  const { payload, payloadEncoding } = encodePayload(record.value);
  return sensorDeadLetter.parse({
    schema: 'sensors.dlq/v1',
    kind,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key === null ? null : record.key.toString('utf8'),
    payload,
    payload_encoding: payloadEncoding,
    reason,
    failed_at: failedAt.toISOString(),
  });
}

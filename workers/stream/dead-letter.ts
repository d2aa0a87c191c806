import type { DeadLetter } from '../../core/air-quality/messages';

/** A consumed record as it came off the topic, before any decoding. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are valid UTF-8, otherwise null. */
export function utf8Text(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Payload bytes in a form JSON can carry unchanged: the text itself, or base64 when it is not UTF-8. */
export function encodePayload(value: Buffer | null): Pick<DeadLetter, 'payload' | 'payloadEncoding'> {
  if (value === null) return { payload: '', payloadEncoding: 'utf8' };
  const text = utf8Text(value);
  return text === null
    ? { payload: value.toString('base64'), payloadEncoding: 'base64' }
    : { payload: text, payloadEncoding: 'utf8' };
}

/** The `aqi.dlq` message for a record that was rejected: the original bytes, where they were, and why. */
export function toDeadLetter(record: ConsumedRecord, reason: string, failedAt: Date): DeadLetter {
  return {
    schema: 'aqi.dlq/v1',
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key === null ? null : record.key.toString('utf8'),
    ...encodePayload(record.value),
    reason,
    failedAt: failedAt.toISOString(),
  };
}

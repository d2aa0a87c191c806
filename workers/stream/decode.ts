import type { z } from 'zod';

import { rawReadingMessage, type RawReadingMessage } from '../../core/air-quality/messages';
import { formatObservedAt } from '../../core/air-quality/reading';

import { utf8Text } from './dead-letter';

/** A record of `aqi.raw` either decodes into a message or is rejected with a reason naming what is wrong. */
export type DecodedRecord = { ok: true; message: RawReadingMessage } | { ok: false; reason: string };

const hourMs = 3600_000;
const maxIssuesNamed = 8;

/**
 * Checks everything about a raw record that needs no database: UTF-8 JSON, the `aqi.raw/v1` contract, the
 * key equal to the location id (so one location stays on one partition, in order), and an hour that is on
 * the hour. The hour comes back in one canonical spelling (`…T13:00:00Z`), the one the index series uses.
 */
export function decodeRawReading(record: { key: Buffer | null; value: Buffer | null }): DecodedRecord {
  if (record.value === null || record.value.length === 0) return rejected('payload: empty message');
  const text = utf8Text(record.value);
  if (text === null) return rejected('payload: not UTF-8 text');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return rejected(`payload: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = rawReadingMessage.safeParse(json);
  if (!parsed.success) return rejected(describeIssues(parsed.error.issues));
  const message = parsed.data;

  const key = record.key === null ? null : record.key.toString('utf8');
  if (key !== message.locationId) {
    return rejected(
      key === null
        ? `key: missing, expected the locationId "${message.locationId}"`
        : `key: "${key}" does not match locationId "${message.locationId}"`,
    );
  }
  const at = Date.parse(message.reading.observedAt);
  if (at % hourMs !== 0) return rejected(`reading.observedAt: ${message.reading.observedAt} is not on the hour`);
  const observedAt = formatObservedAt(at);
  return { ok: true, message: { ...message, reading: { ...message.reading, observedAt } } };
}

/** `path: message` per issue, e.g. `reading.values.pm2_5: Invalid input: expected number, received string`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const named = issues
    .slice(0, maxIssuesNamed)
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(message)'}: ${issue.message}`);
  const more = issues.length - named.length;
  return more > 0 ? `${named.join('; ')}; and ${more} more` : named.join('; ');
}

function rejected(reason: string): DecodedRecord {
  return { ok: false, reason };
}

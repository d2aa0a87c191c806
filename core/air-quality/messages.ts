import { z } from 'zod';

import { reading } from './reading';

/** Location ids as in the `locations` table: lower-case, digits and dashes. */
export const locationId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a location id such as "lyon"');

/**
 * A reading on `aqi.raw` (message key = location id): one hour at one location as fetched, before any
 * index is computed. `runId` names the workflow run (or sensor batch) that produced it.
 */
export const rawReadingMessage = z.strictObject({
  schema: z.literal('aqi.raw/v1'),
  locationId,
  source: z.string().min(1),
  runId: z.string().min(1),
  fetchedAt: z.iso.datetime(),
  reading,
});
export type RawReadingMessage = z.infer<typeof rawReadingMessage>;

export const indexRecord = z.strictObject({
  method: z.string().min(1),
  value: z.number().finite(),
  dominant: z.string(),
});

/** What the stream processor publishes on `aqi.transformed` once the reading is stored. */
export const transformedReadingMessage = z.strictObject({
  ...rawReadingMessage.shape,
  schema: z.literal('aqi.transformed/v1'),
  indices: z.array(indexRecord),
  storedAt: z.iso.datetime(),
});
export type TransformedReadingMessage = z.infer<typeof transformedReadingMessage>;

/**
 * A message that could not be processed, on `aqi.dlq`: the original bytes (UTF-8 when they are text,
 * base64 otherwise), where they came from, and why they were rejected, so nothing is lost.
 */
export const deadLetter = z.strictObject({
  schema: z.literal('aqi.dlq/v1'),
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  key: z.string().nullable(),
  payload: z.string(),
  payloadEncoding: z.enum(['utf8', 'base64']),
  reason: z.string().min(1),
  failedAt: z.iso.datetime(),
});
export type DeadLetter = z.infer<typeof deadLetter>;

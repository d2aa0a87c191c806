import { z } from 'zod';

import { sensorReading } from './reading';

/**
 * What the detector publishes besides anomalies. Field names are snake case like the reading they carry.
 */

/**
 * A reading on `sensors.processed` (message key = sensor id), stored once whatever the duplicates: the
 * reading as received, the names of the checks it failed (`qc_flags`, empty when clean; the anomaly types
 * of `core/sensors/anomaly.ts`) and when the detector took it.
 */
export const processedReading = z.strictObject({
  ...sensorReading.shape,
  qc_flags: z.array(z.string().min(1)),
  received_at: z.iso.datetime({ offset: true }),
});
export type ProcessedReading = z.infer<typeof processedReading>;

/**
 * Why a message was set aside: it could not be read as a reading; it came past the allowed lateness; its
 * timestamp is too far in the future; or its sensor is retired (reinstate it and replay to take them).
 */
export const sensorDeadLetterKinds = ['malformed', 'late', 'future', 'retired'] as const;

/**
 * A message that went to `sensors.dlq` instead of being processed, like `aqi.dlq`'s dead letter: the
 * original bytes (UTF-8 when they are text, base64 otherwise), where they came from, and why.
 */
export const sensorDeadLetter = z.strictObject({
  schema: z.literal('sensors.dlq/v1'),
  kind: z.enum(sensorDeadLetterKinds),
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  key: z.string().nullable(),
  payload: z.string(),
  payload_encoding: z.enum(['utf8', 'base64']),
  reason: z.string().min(1),
  failed_at: z.iso.datetime({ offset: true }),
});
export type SensorDeadLetter = z.infer<typeof sensorDeadLetter>;

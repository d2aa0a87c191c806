import { z } from 'zod';

import { kafkaTopics, topics } from '../topics';

import { anomalyId, sensorAnomaly } from './anomaly';
import { processedReading, sensorDeadLetter } from './messages';
import { sensorReading, type SensorReading } from './reading';

/**
 * The AsyncAPI 3.0 document of the sensor topics, generated from the zod schemas that validate the
 * messages (JSON Schema draft-07, the dialect AsyncAPI's own schema format extends), so the published
 * contract cannot drift from the code. `npm run asyncapi` writes it to docs/asyncapi.json; a unit test
 * checks that file is current and that the AsyncAPI parser finds no error in it.
 */

const schema = (s: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { target: 'draft-07' });
  return rest;
};

/** The reading of the project's brief, as a device sends it. */
export const briefReadingExample: SensorReading = {
  sensor_id: 'CAP_001',
  timestamp: '2024-01-15T14:30:00Z',
  location: { lat: 48.8566, lon: 2.3522 },
  measurements: { pm2_5: 12.5, pm10: 25.3, no2: 40.2 },
};

const anomalyExample = {
  schema: 'sensors.anomaly/v1',
  id: anomalyId({ sensorId: 'CAP_001', type: 'spike', measurement: 'pm2_5', start: '2024-01-15T14:31:00Z' }),
  sensor_id: 'CAP_001',
  type: 'spike',
  measurement: 'pm2_5',
  severity: 'warning',
  score: 3.4,
  window: { start: '2024-01-15T14:31:00Z', end: '2024-01-15T14:31:00Z' },
  evidence: { value: 96.1, median: 12.8, mad: 1.9, threshold: 25 },
  detected_at: '2024-01-15T14:32:00Z',
} satisfies z.input<typeof sensorAnomaly>;

const processedExample = {
  ...briefReadingExample,
  qc_flags: [],
  received_at: '2024-01-15T14:30:01Z',
} satisfies z.input<typeof processedReading>;

const deadLetterExample = {
  schema: 'sensors.dlq/v1',
  kind: 'malformed',
  topic: topics.sensorsRaw,
  partition: 0,
  offset: '1042',
  key: 'CAP_001',
  payload: '{"sensor_id":"CAP_001","timestamp":"2024-01-15T14:30:00Z","loc',
  payload_encoding: 'utf8',
  reason: 'not JSON: Unterminated string in JSON at position 62',
  failed_at: '2024-01-15T14:30:01Z',
} satisfies z.input<typeof sensorDeadLetter>;

/** The Kafka binding of a topic: its name, partitions and retention, from core/topics.ts. */
function topicBinding(name: string) {
  const spec = kafkaTopics.find((t) => t.name === name);
  const retention = spec?.config?.['retention.ms'];
  return {
    kafka: {
      bindingVersion: '0.5.0',
      topic: name,
      ...(spec ? { partitions: spec.partitions } : {}),
      ...(retention ? { topicConfiguration: { 'retention.ms': Number(retention) } } : {}),
    },
  };
}

const keyedBySensor = {
  kafka: { bindingVersion: '0.5.0', key: { type: 'string', description: 'the sensor id (`sensor_id`)' } },
};

interface ChannelSpec {
  id: string;
  address: string;
  description: string;
  message: {
    id: string;
    schemaName: string;
    schema: z.ZodType;
    title: string;
    summary: string;
    example: { name: string; summary: string; payload: unknown };
  };
  /** What the platform does on the channel: devices send readings; the detector sends the rest. */
  operation: { id: string; action: 'send' | 'receive'; summary: string };
}

const channels: readonly ChannelSpec[] = [
  {
    id: 'sensorsRaw',
    address: topics.sensorsRaw,
    description: 'Readings as low-cost sensors send them, taken as sent (sentinels and negatives included).',
    message: {
      id: 'sensorReading',
      schemaName: 'SensorReading',
      schema: sensorReading,
      title: 'Sensor reading',
      summary: 'One reading of one sensor; values in µg/m³ (°C, % RH); event time in `timestamp`.',
      example: { name: 'brief', summary: "The example reading of the project's brief.", payload: briefReadingExample },
    },
    operation: { id: 'receiveSensorReadings', action: 'receive', summary: 'The detector consumes readings.' },
  },
  {
    id: 'sensorsProcessed',
    address: topics.sensorsProcessed,
    description: 'Each reading once (duplicates dropped), with the checks it failed.',
    message: {
      id: 'processedReading',
      schemaName: 'ProcessedReading',
      schema: processedReading,
      title: 'Processed reading',
      summary: 'The reading, its `qc_flags` (anomaly types; empty when clean) and `received_at`.',
      example: { name: 'clean', summary: 'A reading that passed every check.', payload: processedExample },
    },
    operation: { id: 'sendProcessedReadings', action: 'send', summary: 'The detector publishes each reading once.' },
  },
  {
    id: 'sensorsAnomalies',
    address: topics.sensorsAnomalies,
    description: 'Faults found in the readings; the id is derived from sensor, type, measurement and start.',
    message: {
      id: 'sensorAnomaly',
      schemaName: 'SensorAnomaly',
      schema: sensorAnomaly,
      title: 'Sensor anomaly',
      summary: 'One fault of one sensor, its window in event time and the evidence.',
      example: { name: 'spike', summary: 'A PM2.5 spike.', payload: anomalyExample },
    },
    operation: { id: 'sendSensorAnomalies', action: 'send', summary: 'The detector publishes anomalies.' },
  },
  {
    id: 'sensorsDeadLetter',
    address: topics.sensorsDeadLetter,
    description: 'Messages that could not be read as a reading, or came past the allowed lateness.',
    message: {
      id: 'sensorDeadLetter',
      schemaName: 'SensorDeadLetter',
      schema: sensorDeadLetter,
      title: 'Sensor dead letter',
      summary: 'The original bytes, where they came from, and why they were set aside.',
      example: { name: 'bad-json', summary: 'A message cut in half.', payload: deadLetterExample },
    },
    operation: {
      id: 'sendSensorDeadLetters',
      action: 'send',
      summary: 'The detector sets unreadable and late messages aside.',
    },
  },
];

export function sensorsAsyncApiDocument() {
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Air-quality platform: sensor streams',
      version: '1.0.0',
      description:
        'Kafka topics of the low-cost sensor pipeline (issue 13): readings in, processed readings, anomalies and dead letters out. Generated from the zod schemas in core/sensors/.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The broker of the embedded stack (npm start).',
      },
    },
    channels: Object.fromEntries(
      channels.map((c) => [
        c.id,
        {
          address: c.address,
          description: c.description,
          messages: { [c.message.id]: { $ref: `#/components/messages/${c.message.id}` } },
          bindings: topicBinding(c.address),
        },
      ]),
    ),
    operations: Object.fromEntries(
      channels.map((c) => [
        c.operation.id,
        {
          action: c.operation.action,
          summary: c.operation.summary,
          channel: { $ref: `#/channels/${c.id}` },
          messages: [{ $ref: `#/channels/${c.id}/messages/${c.message.id}` }],
        },
      ]),
    ),
    components: {
      messages: Object.fromEntries(
        channels.map((c) => [
          c.message.id,
          {
            name: c.message.schemaName,
            title: c.message.title,
            summary: c.message.summary,
            contentType: 'application/json',
            payload: { $ref: `#/components/schemas/${c.message.schemaName}` },
            bindings: keyedBySensor,
            examples: [c.message.example],
          },
        ]),
      ),
      schemas: Object.fromEntries(channels.map((c) => [c.message.schemaName, schema(c.message.schema)])),
    },
  };
}

/** The document as committed in docs/asyncapi.json: two-space JSON and a final newline. */
export function sensorsAsyncApiJson(): string {
  return `${JSON.stringify(sensorsAsyncApiDocument(), null, 2)}\n`;
}

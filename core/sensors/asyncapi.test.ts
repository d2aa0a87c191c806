import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';

import { kafkaTopics } from '../topics';

import { briefReadingExample, sensorsAsyncApiDocument, sensorsAsyncApiJson } from './asyncapi';

const committedFile = path.resolve(__dirname, '..', '..', 'docs', 'asyncapi.json');

/** Ajv over the document's draft-07 schemas; `date-time` is left to the schemas' own patterns. */
function validatorFor(schemaName: string) {
  const document = sensorsAsyncApiDocument();
  const schema = (document.components.schemas as Record<string, object>)[schemaName];
  if (schema === undefined) throw new Error(`no schema ${schemaName}`);
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addFormat('date-time', true);
  return ajv.compile(schema);
}

describe('the AsyncAPI document of the sensor topics', () => {
  it('when the AsyncAPI parser reads it, then it finds no error and no warning', async () => {
    const { document, diagnostics } = await new Parser().parse(sensorsAsyncApiJson());

    // Severity 0 is an error, 1 a warning; 2 and 3 are information and hints.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(['sensors.raw', 'sensors.processed', 'sensors.anomalies', 'sensors.dlq']);
  }, 30_000);

  it('when a reading is valid, then the document schema accepts it; when no2 is missing, it refuses', () => {
    const validate = validatorFor('SensorReading');
    const { no2: _no2, ...withoutNo2 } = briefReadingExample.measurements;

    expect(validate({ ...briefReadingExample, measurements: { ...briefReadingExample.measurements, o3: 61 } })).toBe(
      true,
    );
    expect(validate({ ...briefReadingExample, measurements: withoutNo2 })).toBe(false);
  });

  it('when the brief’s example reading is looked for, then it is the sensors.raw message example', () => {
    const examples = sensorsAsyncApiDocument().components.messages.sensorReading?.examples ?? [];

    expect(examples.map((e) => e.payload)).toContainEqual({
      sensor_id: 'CAP_001',
      timestamp: '2024-01-15T14:30:00Z',
      location: { lat: 48.8566, lon: 2.3522 },
      measurements: { pm2_5: 12.5, pm10: 25.3, no2: 40.2 },
    });
  });

  it('when each message example is checked against its own schema, then every one is valid', () => {
    const { messages } = sensorsAsyncApiDocument().components;

    const invalid = Object.values(messages).flatMap((message) => {
      const validate = validatorFor(message.name);
      return message.examples.filter((e) => !validate(e.payload)).map((e) => `${message.name}/${e.name}`);
    });

    expect(Object.keys(messages)).toHaveLength(4);
    expect(invalid).toEqual([]);
  });

  it('when a channel is bound to Kafka, then its partitions are those of core/topics.ts', () => {
    const { channels } = sensorsAsyncApiDocument();

    const bound = Object.values(channels).map((c) => [c.address, c.bindings.kafka.partitions]);

    expect(bound).toEqual(
      Object.values(channels).map((c) => [c.address, kafkaTopics.find((t) => t.name === c.address)?.partitions]),
    );
    expect(bound.every(([, partitions]) => typeof partitions === 'number')).toBe(true);
  });

  it('when docs/asyncapi.json is compared with the generator, then it is current (npm run asyncapi)', () => {
    expect(readFileSync(committedFile, 'utf8')).toBe(sensorsAsyncApiJson());
  });
});

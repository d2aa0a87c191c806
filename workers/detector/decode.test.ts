import { sensorDeadLetter } from '../../core/sensors/messages';

import { decodeSensorRecord, toSensorDeadLetter } from './decode';

const reading = {
  sensor_id: 'CAP_001',
  timestamp: '2024-01-15T14:30:00Z',
  location: { lat: 48.8566, lon: 2.3522 },
  measurements: { pm2_5: 12.5, pm10: 25.3, no2: 40.2 },
};
const record = (value: unknown, key: string | null = 'CAP_001') => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

describe('decodeSensorRecord', () => {
  it('when the record is the contract’s example, then it is that reading, -999 included (a fault, not garbage)', () => {
    const sentinel = { ...reading, measurements: { ...reading.measurements, pm2_5: -999 } };

    expect(decodeSensorRecord(record(reading))).toEqual({ ok: true, reading });
    expect(decodeSensorRecord(record(sentinel))).toEqual({ ok: true, reading: sentinel });
  });

  it('when it is not a reading, then the reason names the field, the key or the bytes', () => {
    const reasonOf = (r: { key: Buffer | null; value: Buffer | null }) => {
      const decoded = decodeSensorRecord(r);
      return decoded.ok ? 'accepted' : decoded.reason;
    };

    expect(reasonOf(record('{"sensor_id": '))).toMatch(/^payload: not JSON/);
    expect(reasonOf(record({ ...reading, measurements: { pm2_5: 'high', pm10: 1, no2: 1 } }))).toMatch(
      /^measurements\.pm2_5: /,
    );
    expect(reasonOf(record({ ...reading, timestamp: '2024-01-15 14:30' }))).toMatch(/^timestamp: /);
    expect(reasonOf(record(reading, 'CAP_002'))).toBe('key: "CAP_002" does not match sensor_id "CAP_001"');
    expect(reasonOf(record(reading, null))).toBe('key: missing, expected the sensor_id "CAP_001"');
    expect(reasonOf({ key: null, value: Buffer.from([0xff, 0xfe]) })).toBe('payload: not UTF-8 text');
  });
});

describe('toSensorDeadLetter', () => {
  it('keeps the original bytes (base64 when not text), where they were, the kind and the reason', () => {
    const letter = toSensorDeadLetter(
      { topic: 'sensors.raw', partition: 2, offset: '41', key: null, value: Buffer.from([0xff, 0x00]) },
      'malformed',
      'payload: not UTF-8 text',
      new Date('2024-01-15T14:31:00Z'),
    );

    expect(sensorDeadLetter.parse(letter)).toEqual({
      schema: 'sensors.dlq/v1',
      kind: 'malformed',
      topic: 'sensors.raw',
      partition: 2,
      offset: '41',
      key: null,
      payload: Buffer.from([0xff, 0x00]).toString('base64'),
      payload_encoding: 'base64',
      reason: 'payload: not UTF-8 text',
      failed_at: '2024-01-15T14:31:00.000Z',
    });
  });
});

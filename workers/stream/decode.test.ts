import type { RawReadingMessage } from '../../core/air-quality/messages';

import { decodeRawReading } from './decode';

const message: RawReadingMessage = {
  schema: 'aqi.raw/v1',
  locationId: 'lyon',
  source: 'open-meteo',
  runId: 'ingest-2024-03-01',
  fetchedAt: '2024-03-01T06:02:11Z',
  reading: {
    latitude: 45.7,
    longitude: 4.8,
    observedAt: '2024-03-01T05:00:00Z',
    values: { pm2_5: 9.9, pm10: 12.1, ozone: null },
    reported: { european_aqi: 14 },
  },
};

const record = (value: unknown, key: string | null = 'lyon') => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

function reasonFor(value: unknown, key?: string | null): string {
  const decoded = decodeRawReading(record(value, key));
  if (decoded.ok) throw new Error('expected a rejection');
  return decoded.reason;
}

describe('decoding a record of aqi.raw', () => {
  it('when the record follows the contract, then the message comes back as sent', () => {
    expect(decodeRawReading(record(message))).toEqual({ ok: true, message });
  });

  it('when the hour is spelled with milliseconds, then it comes back in the canonical spelling', () => {
    const decoded = decodeRawReading(
      record({ ...message, reading: { ...message.reading, observedAt: '2024-03-01T05:00:00.000Z' } }),
    );

    expect(decoded.ok && decoded.message.reading.observedAt).toBe('2024-03-01T05:00:00Z');
  });

  it('when the payload is empty, not UTF-8 or not JSON, then the reason says so', () => {
    expect(decodeRawReading({ key: Buffer.from('lyon'), value: null })).toEqual({
      ok: false,
      reason: 'payload: empty message',
    });
    expect(decodeRawReading({ key: null, value: Buffer.from([0xff, 0xfe, 0x00]) })).toEqual({
      ok: false,
      reason: 'payload: not UTF-8 text',
    });
    expect(reasonFor('{"schema":"aqi.raw/v1",')).toMatch(/^payload: not JSON \(/);
  });

  it('when a field is missing, then the reason names its path', () => {
    const { runId: _runId, ...withoutRunId } = message;
    const { observedAt: _observedAt, ...withoutHour } = message.reading;

    expect(reasonFor(withoutRunId)).toMatch(/^runId: /);
    expect(reasonFor({ ...message, reading: withoutHour })).toMatch(/^reading\.observedAt: /);
  });

  it('when values break the contract, then every failing path is named', () => {
    const reason = reasonFor({
      ...message,
      schema: 'aqi.raw/v2',
      reading: { ...message.reading, latitude: 123, values: { pm2_5: '9.9' } },
    });

    expect(reason).toMatch(/(^|; )schema: /);
    expect(reason).toMatch(/reading\.latitude: /);
    expect(reason).toMatch(/reading\.values\.pm2_5: /);
  });

  it('when the message carries a field the contract does not know, then the reason names it', () => {
    expect(reasonFor({ ...message, city: 'Lyon' })).toMatch(/^\(message\): .*city/);
  });

  it('when the key is not the location id, then the record is rejected, naming both', () => {
    expect(reasonFor(message, 'paris')).toBe('key: "paris" does not match locationId "lyon"');
    expect(reasonFor(message, null)).toBe('key: missing, expected the locationId "lyon"');
  });

  it('when the hour is not on the hour, then the record is rejected', () => {
    const reason = reasonFor({ ...message, reading: { ...message.reading, observedAt: '2024-03-01T05:30:00Z' } });

    expect(reason).toBe('reading.observedAt: 2024-03-01T05:30:00Z is not on the hour');
  });

  it('when a value is negative (model noise), then the record is still valid', () => {
    const decoded = decodeRawReading(record({ ...message, reading: { ...message.reading, values: { ozone: -0.1 } } }));

    expect(decoded.ok).toBe(true);
  });
});

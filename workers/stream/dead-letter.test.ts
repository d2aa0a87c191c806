import { deadLetter } from '../../core/air-quality/messages';

import { encodePayload, toDeadLetter } from './dead-letter';

const failedAt = new Date('2024-03-01T06:00:00.123Z');

describe('dead letters for aqi.dlq', () => {
  it('when the payload is text, then it is carried as UTF-8, unchanged', () => {
    expect(encodePayload(Buffer.from('{"pm2_5": "9,9 µg/m³"'))).toEqual({
      payload: '{"pm2_5": "9,9 µg/m³"',
      payloadEncoding: 'utf8',
    });
  });

  it('when the payload is not UTF-8, then it is carried as base64 and decodes back to the same bytes', () => {
    const bytes = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x7b]);

    const encoded = encodePayload(bytes);

    expect(encoded.payloadEncoding).toBe('base64');
    expect(Buffer.from(encoded.payload, 'base64')).toEqual(bytes);
  });

  it('when the record had no payload, then the letter carries an empty text', () => {
    expect(encodePayload(null)).toEqual({ payload: '', payloadEncoding: 'utf8' });
  });

  it('when a record is rejected, then the letter names where it was and why, and follows the contract', () => {
    const letter = toDeadLetter(
      { topic: 'aqi.raw', partition: 2, offset: '41', key: Buffer.from('paris'), value: Buffer.from('{oops') },
      'payload: not JSON',
      failedAt,
    );

    expect(letter).toEqual({
      schema: 'aqi.dlq/v1',
      topic: 'aqi.raw',
      partition: 2,
      offset: '41',
      key: 'paris',
      payload: '{oops',
      payloadEncoding: 'utf8',
      reason: 'payload: not JSON',
      failedAt: '2024-03-01T06:00:00.123Z',
    });
    expect(deadLetter.safeParse(letter).success).toBe(true);
  });

  it('when the record had no key, then the letter says null', () => {
    const letter = toDeadLetter(
      { topic: 'aqi.raw', partition: 0, offset: '7', key: null, value: Buffer.from('x') },
      'r',
      failedAt,
    );

    expect(letter.key).toBeNull();
  });
});

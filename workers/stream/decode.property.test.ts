import fc from 'fast-check';

import { decodeRawReading } from './decode';

const hour = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const messageLike = fc.record(
  {
    schema: fc.constantFrom('aqi.raw/v1', 'aqi.raw/v2'),
    locationId: fc.constantFrom('lyon', 'Lyon', ''),
    source: fc.string(),
    runId: fc.string(),
    fetchedAt: hour,
    reading: fc.record(
      {
        latitude: fc.double(),
        longitude: fc.double(),
        observedAt: fc.oneof(hour, fc.string()),
        values: fc.dictionary(
          fc.constantFrom('pm2_5', 'pm10', 'ozone', 'bogus'),
          fc.oneof(fc.double(), fc.constant(null)),
        ),
        reported: fc.dictionary(fc.constantFrom('european_aqi', 'us_aqi'), fc.oneof(fc.double(), fc.constant(null))),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

describe('aqi.raw records under random input', () => {
  it('when any bytes, or a near-valid message, arrive with any key, then they decode or are rejected with a reason', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '')),
      messageLike.map((m) => Buffer.from(JSON.stringify(m))),
    );
    const key = fc.option(fc.constantFrom('lyon', 'paris', '').map((k) => Buffer.from(k)));
    fc.assert(
      fc.property(fc.option(bytes), key, (value, k) => {
        const decoded = decodeRawReading({ key: k, value });
        if (decoded.ok) expect(decoded.message.locationId).toBe(k?.toString('utf8'));
        else expect(decoded.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});

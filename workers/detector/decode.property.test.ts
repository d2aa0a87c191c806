import fc from 'fast-check';

import { sensorReading } from '../../core/sensors/reading';

import { decodeSensorRecord } from './decode';

const instant = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const readingLike = fc.record(
  {
    sensor_id: fc.constantFrom('CAP_001', 'cap.2', '', '_x', 'a b'),
    timestamp: fc.oneof(instant, fc.string(), fc.constant('2024-02-30T00:00:00Z')),
    location: fc.record({ lat: fc.double(), lon: fc.double() }, { requiredKeys: [] }),
    measurements: fc.dictionary(
      fc.constantFrom('pm2_5', 'pm10', 'no2', 'o3', 'bogus'),
      fc.oneof(fc.double(), fc.constant(-999), fc.string()),
    ),
  },
  { requiredKeys: [] },
);

const validReading = fc.record({
  sensor_id: fc.constantFrom('CAP_001', 'cap.2'),
  timestamp: instant,
  location: fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
  }),
  measurements: fc.record({
    pm2_5: fc.double({ noNaN: true, noDefaultInfinity: true }),
    pm10: fc.double({ noNaN: true, noDefaultInfinity: true }),
    no2: fc.constant(-999),
  }),
});

describe('sensors.raw records under random input', () => {
  it('when any bytes, or a near-valid reading, arrive with any key, then they decode to a contract reading or are rejected with a reason', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '')),
      readingLike.map((r) => Buffer.from(JSON.stringify(r))),
      validReading.map((r) => Buffer.from(JSON.stringify(r))),
    );
    const key = fc.option(fc.constantFrom('CAP_001', 'cap.2', '').map((k) => Buffer.from(k)));
    const seen = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.option(bytes), key, (value, k) => {
        const decoded = decodeSensorRecord({ key: k, value });
        if (decoded.ok) {
          seen.ok += 1;
          expect(decoded.reading.sensor_id).toBe(k?.toString('utf8'));
          expect(sensorReading.safeParse(decoded.reading).success).toBe(true);
        } else {
          seen.rejected += 1;
          expect(decoded.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 5000, seed: 13 },
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
  });
});

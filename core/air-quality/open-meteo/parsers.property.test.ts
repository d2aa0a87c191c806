import fc from 'fast-check';

import { AppError } from '../../errors';
import { reading } from '../reading';

import { parseOpenMeteoCsv } from './csv';
import { parseOpenMeteoCurrent, parseOpenMeteoJson } from './json';

/**
 * Whatever arrives from the source, a parser answers with valid readings or the platform's own error,
 * never a crash of another kind. Random inputs, plus near-valid ones built from the real shapes.
 */
function outcome(parse: () => unknown[]): 'readings' | 'refused' {
  try {
    const readings = parse();
    for (const r of readings) reading.parse(r);
    return 'readings';
  } catch (err) {
    if (err instanceof AppError) return 'refused';
    throw err;
  }
}

const number = fc.oneof(fc.double(), fc.constant(null), fc.string(), fc.integer({ min: -1000, max: 1000 }));
const hour = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 16));
const openMeteoLike = fc.record(
  {
    latitude: number,
    longitude: number,
    hourly: fc.record({
      time: fc.array(fc.oneof(hour, fc.string()), { maxLength: 6 }),
      pm2_5: fc.array(number, { maxLength: 6 }),
    }),
    hourly_units: fc.record({ pm2_5: fc.constantFrom('μg/m³', 'ppm', '') }),
    current: fc.record({ time: fc.oneof(hour, fc.string()), pm10: number }),
    current_units: fc.record({ pm10: fc.constantFrom('μg/m³', 'mg') }),
  },
  { requiredKeys: [] },
);

describe('Open-Meteo parsers under random input', () => {
  it('when any JSON value is parsed as an answer, then the outcome is readings or an AppError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), openMeteoLike), (body) => {
        expect(['readings', 'refused']).toContain(outcome(() => parseOpenMeteoJson(body)));
        expect(['readings', 'refused']).toContain(outcome(() => parseOpenMeteoCurrent(body)));
      }),
      { numRuns: 2000 },
    );
  });

  it('when any text, or an export with random cells, is parsed as CSV, then the outcome is readings or an AppError', () => {
    const cell = fc.oneof(fc.string({ maxLength: 8 }), fc.double().map(String), hour, fc.constant('"quoted, cell"'));
    const row = fc.array(cell, { minLength: 1, maxLength: 5 }).map((cells) => cells.join(','));
    const exportLike = fc
      .array(row, { maxLength: 6 })
      .map(
        (rows) =>
          `latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation\n45.7,4.8,175.0,0,GMT,GMT\n\ntime,pm10 (μg/m³),pm2_5 (μg/m³)\n${rows.join('\n')}`,
      );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), exportLike), (text) => {
        expect(['readings', 'refused']).toContain(outcome(() => parseOpenMeteoCsv(text)));
      }),
      { numRuns: 2000 },
    );
  });
});

import fs from 'node:fs';
import path from 'node:path';

import { AppError } from '../../errors';
import { reading } from '../reading';

import { parseOpenMeteoCurrent, parseOpenMeteoJson } from './json';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/open-meteo');
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));

function caught(act: () => unknown): AppError {
  try {
    act();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('parseOpenMeteoJson', () => {
  it('when one location is returned, then each hour becomes a reading with stored variables only', () => {
    const body = fixture('air-quality-single.json');

    const readings = parseOpenMeteoJson(body);

    expect(readings.map((r) => r.observedAt)).toEqual([
      '2024-03-10T00:00:00Z',
      '2024-03-10T01:00:00Z',
      '2024-03-10T02:00:00Z',
      '2024-03-10T03:00:00Z',
    ]);
    expect(readings[0]).toEqual({
      latitude: 45.7,
      longitude: 4.800001,
      observedAt: '2024-03-10T00:00:00Z',
      values: { pm10: 18.4, pm2_5: 11, nitrogen_dioxide: 21.3, ozone: 44, grass_pollen: 0, uv_index: 0 },
      reported: { european_aqi: 27, us_aqi: 46 },
    });
    expect(readings[2]?.values.pm10).toBeNull();
    readings.forEach((r) => expect(reading.parse(r)).toEqual(r));
  });

  it('when several locations are returned as an array, then readings are ordered by place then time', () => {
    const body = fixture('air-quality-two-locations.json');

    const readings = parseOpenMeteoJson(body);

    expect(readings.map((r) => [r.latitude, r.observedAt])).toEqual([
      [43.3, '2025-06-01T00:00:00Z'],
      [43.3, '2025-06-01T01:00:00Z'],
      [48.9, '2025-06-01T00:00:00Z'],
      [48.9, '2025-06-01T01:00:00Z'],
    ]);
    expect(readings[1]).toMatchObject({ values: { pm2_5: null }, reported: { european_aqi: null } });
    readings.forEach((r) => expect(reading.parse(r)).toEqual(r));
  });

  it('when times are in a timezone ahead of UTC, then observedAt is shifted back by utc_offset_seconds', () => {
    const body = {
      latitude: 45.7,
      longitude: 4.8,
      utc_offset_seconds: 3600,
      timezone: 'Europe/Paris',
      hourly: { time: ['2024-01-01T00:00'], pm10: [12.1] },
    };

    const [first] = parseOpenMeteoJson(body);

    expect(first?.observedAt).toBe('2023-12-31T23:00:00Z');
  });

  it('when Open-Meteo refuses the request, then an OPEN_METEO_ERROR with its reason and status 400 is thrown', () => {
    const body = fixture('air-quality-error.json');

    const error = caught(() => parseOpenMeteoJson(body));

    expect(error.code).toBe('OPEN_METEO_ERROR');
    expect(error.httpStatus).toBe(400);
    expect(error.message).toContain('Latitude must be in range of -90 to 90°');
  });

  it('when a series is shorter than time, then the error names that variable', () => {
    const body = fixture('air-quality-ragged.json');

    const error = caught(() => parseOpenMeteoJson(body));

    expect(error.code).toBe('OPEN_METEO_SHAPE');
    expect(error.message).toContain('hourly.ozone has 2 values for 3 times');
  });

  it('when times come as unix timestamps, then the shape is rejected', () => {
    const body = { latitude: 45.7, longitude: 4.8, utc_offset_seconds: 0, hourly: { time: [1704067200], pm10: [1] } };

    expect(caught(() => parseOpenMeteoJson(body)).code).toBe('OPEN_METEO_SHAPE');
  });

  it('when hourly_units disagree with the stored unit, then OPEN_METEO_UNIT names the variable', () => {
    const body = {
      latitude: 45.7,
      longitude: 4.8,
      utc_offset_seconds: 0,
      hourly_units: { time: 'iso8601', carbon_monoxide: 'ppm' },
      hourly: { time: ['2024-01-01T00:00'], carbon_monoxide: [0.2] },
    };

    const error = caught(() => parseOpenMeteoJson(body));

    expect(error.code).toBe('OPEN_METEO_UNIT');
    expect(error.message).toContain('carbon_monoxide');
  });

  it('when a location has no hourly block, then the error says hourly variables are needed', () => {
    const body = fixture('air-quality-current.json');

    expect(caught(() => parseOpenMeteoJson(body)).message).toContain('no hourly block');
  });
});

describe('parseOpenMeteoCurrent', () => {
  it('when the current block is requested for two places, then there is one reading per place', () => {
    const body = fixture('air-quality-current.json');

    const readings = parseOpenMeteoCurrent(body);

    expect(readings).toEqual([
      {
        latitude: 43.3,
        longitude: 5.4,
        observedAt: '2025-06-01T14:00:00Z',
        values: { pm10: 20.2, pm2_5: null, ozone: 118 },
        reported: { european_aqi: 51 },
      },
      {
        latitude: 48.9,
        longitude: 2.3500004,
        observedAt: '2025-06-01T14:00:00Z',
        values: { pm10: 12.4, pm2_5: 6.1, ozone: 96 },
        reported: { european_aqi: 38 },
      },
    ]);
    readings.forEach((r) => expect(reading.parse(r)).toEqual(r));
  });

  it('when the response has no current block, then the error says current variables are needed', () => {
    const body = fixture('air-quality-single.json');

    expect(caught(() => parseOpenMeteoCurrent(body)).message).toContain('no current block');
  });
});

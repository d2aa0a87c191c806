import { indicesForPlace } from './indices';
import type { Reading } from './reading';

const hours = (n: number, pm2_5: number): Reading[] =>
  Array.from({ length: n }, (_, h) => ({
    latitude: 45.7,
    longitude: 4.8,
    observedAt: new Date(Date.UTC(2024, 0, 1, h)).toISOString().replace('.000Z', 'Z'),
    values: { pm2_5, pm10: 10, nitrogen_dioxide: 20, ozone: 40, sulphur_dioxide: 5 },
    reported: {},
  }));

describe('indicesForPlace', () => {
  it('when 24 hours of history exist, then the hour gets every method, each with its dominant pollutant', () => {
    const records = indicesForPlace(hours(25, 12));

    expect(records[24]?.map((r) => r.method).sort()).toEqual([
      'eaqi-eea-2024',
      'eaqi-open-meteo-pre-2026-08',
      'us-aqi-epa',
    ]);
    // 12 µg/m³ of PM2.5 is 24 on the pre-2026 scale (band 10–20 → 20–40); PM dominates.
    expect(records[24]?.find((r) => r.method === 'eaqi-open-meteo-pre-2026-08')).toEqual({
      method: 'eaqi-open-meteo-pre-2026-08',
      value: 24,
      dominant: 'pm2_5',
    });
  });

  it('when the first hour has no PM history, then only the hourly method records an index', () => {
    const records = indicesForPlace(hours(25, 12));

    // Pre-2026 EAQI and US AQI need the 24-hour PM mean; an index from NO2/O3 alone would understate the hour.
    expect(records[0]?.map((r) => r.method)).toEqual(['eaqi-eea-2024']);
  });

  it('when an hour is written with milliseconds, then it still gets its indices', () => {
    const readings = hours(25, 12);
    const last = readings[24];
    if (!last) throw new Error('fixture');
    readings[24] = { ...last, observedAt: last.observedAt.replace('Z', '.000Z') };

    expect(indicesForPlace(readings)[24]?.length).toBe(3);
  });
});

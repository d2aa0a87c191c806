import type { Reading } from '../../air-quality/reading';
import { AppError } from '../../errors';

import { no2FromCo, referenceAt, referenceFromReadings } from './reference';

const lyon = { id: 'lyon', latitude: 45.764, longitude: 4.8357 };
const at = (hour: number) => new Date(Date.UTC(2024, 0, 1, hour)).toISOString().replace('.000Z', 'Z');
const reading = (hour: number, values: Reading['values']): Reading => ({
  latitude: 45.7,
  longitude: 4.8,
  observedAt: at(hour),
  values,
  reported: {},
});

describe('reference series from Open-Meteo readings', () => {
  it('when hours are missing or null, then they are filled linearly between the known hours', () => {
    const series = referenceFromReadings(lyon, [
      reading(3, { pm2_5: 40, pm10: 50, nitrogen_dioxide: 20 }),
      reading(0, { pm2_5: 10, pm10: 20, nitrogen_dioxide: null }),
      reading(1, { pm2_5: null, pm10: 30, nitrogen_dioxide: 10 }),
    ]);

    expect(series.hours).toBe(4);
    expect(series.values.pm2_5).toEqual([10, 20, 30, 40]);
    expect(series.values.no2).toEqual([10, 10, 15, 20]);
    expect(series.derived).toEqual({});
  });

  it('when the source has CO but no NO2, then NO2 is derived from CO and said to be', () => {
    const series = referenceFromReadings(lyon, [
      reading(0, { pm2_5: 10, pm10: 20, carbon_monoxide: 200 }),
      reading(1, { pm2_5: 10, pm10: 20, carbon_monoxide: 40 }),
    ]);

    expect(series.values.no2).toEqual([no2FromCo(200), 0]);
    expect(no2FromCo(200)).toBeCloseTo(16.3);
    expect(series.derived.no2).toMatch(/carbon_monoxide/);
  });

  it('when PM10 is never given, then the series is refused naming it', () => {
    const refuse = () => referenceFromReadings(lyon, [reading(0, { pm2_5: 10, nitrogen_dioxide: 5 })]);

    expect(refuse).toThrow(AppError);
    expect(refuse).toThrow(/lyon: the readings never give pm10/);
  });

  it('when a time falls between hours, then the value is interpolated; past the last hour it holds', () => {
    const series = referenceFromReadings(lyon, [
      reading(0, { pm2_5: 10, pm10: 20, nitrogen_dioxide: 5 }),
      reading(1, { pm2_5: 22, pm10: 20, nitrogen_dioxide: 5 }),
    ]);

    expect(referenceAt(series, 'pm2_5', Date.UTC(2024, 0, 1, 0, 30))).toBeCloseTo(16);
    expect(referenceAt(series, 'pm2_5', Date.UTC(2024, 0, 1, 1, 59))).toBe(22);
    expect(referenceAt(series, 'pm2_5', Date.UTC(2024, 0, 1, 2, 0))).toBeUndefined();
    expect(referenceAt(series, 'o3', Date.UTC(2024, 0, 1, 0, 30))).toBeUndefined();
  });
});

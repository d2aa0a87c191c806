import { AppError } from '../../errors';

import { checkUnit, observedAtFromLocal, observedAtFromOffsetTime, splitHeader, targetOf } from './columns';

describe('Open-Meteo columns', () => {
  it('when a header carries a unit, then name and unit are split, an empty unit included', () => {
    expect(splitHeader('pm10 (μg/m³)')).toEqual({ name: 'pm10', unit: 'μg/m³' });
    expect(splitHeader('uv_index ()')).toEqual({ name: 'uv_index', unit: '' });
    expect(splitHeader('pm2_5')).toEqual({ name: 'pm2_5', unit: undefined });
  });

  it('when a variable is stored, reported or unknown, then it maps to values, reported or nothing', () => {
    expect(targetOf('ozone')).toEqual({ kind: 'values', variable: 'ozone' });
    expect(targetOf('us_aqi')).toEqual({ kind: 'reported', index: 'us_aqi' });
    expect(targetOf('european_aqi_pm2_5')).toBeUndefined();
  });

  it('when micro is typed as U+00B5 instead of U+03BC, then the unit still matches', () => {
    const pm10 = { kind: 'values', variable: 'pm10' } as const;

    expect(() => checkUnit(pm10, '\u00b5g/m³', 'test')).not.toThrow();
    expect(() => checkUnit(pm10, 'ppb', 'test')).toThrow(AppError);
  });

  it('when a local time has a UTC offset, then observedAt is the UTC hour in the one string form', () => {
    expect(observedAtFromLocal('2024-01-01T00:00', 0)).toBe('2024-01-01T00:00:00Z');
    expect(observedAtFromLocal('2024-07-01T02:00', 7200)).toBe('2024-07-01T00:00:00Z');
    expect(observedAtFromOffsetTime('2025-06-01 00:00:00+00:00')).toBe('2025-06-01T00:00:00Z');
    expect(observedAtFromOffsetTime('2025-06-01T02:00:00+02:00')).toBe('2025-06-01T00:00:00Z');
  });

  it('when a time is impossible, not on the hour or without an offset, then there is no observedAt', () => {
    expect(observedAtFromLocal('2024-02-30T00:00', 0)).toBeUndefined();
    expect(observedAtFromLocal('2024-01-01T00:15', 0)).toBeUndefined();
    expect(observedAtFromLocal('2024-01-01', 0)).toBeUndefined();
    expect(observedAtFromOffsetTime('2025-06-01 00:00:00')).toBeUndefined();
  });
});

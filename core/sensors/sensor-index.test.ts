import { sensorEuropeanAqi } from './sensor-index';

describe('sensorEuropeanAqi', () => {
  it('when a reading carries several pollutants, then its index is the highest sub-index under the EEA 2024 bands', () => {
    // EEA 2024: PM2.5 15 µg/m³ is the edge of "fair" (index 40); NO2 10 µg/m³ the edge of "good" (20).
    expect(sensorEuropeanAqi({ pm2_5: 15, pm10: 0, no2: 10 })).toEqual({ value: 40, band: 'fair' });
  });

  it('when a reading carries no pollutant the index reads, then there is no index', () => {
    expect(sensorEuropeanAqi({ temperature: 21 })).toBeNull();
  });

  it('when a faulty sensor reports a negative value, then that pollutant is left out, not read as clean air', () => {
    expect(sensorEuropeanAqi({ pm2_5: -5, pm10: 45 })).toEqual({ value: 40, band: 'fair' });
  });
});

import { isPoorOrWorse, poorAirAlerts, type PoorAirHour } from './air-quality-alerts';
import { alert } from './alert';

const at = '2025-01-01T00:05:00Z';
const observed = (hour: string, europeanAqi: number, locationId = 'lyon'): PoorAirHour => ({
  locationId,
  kind: 'observed',
  hour,
  europeanAqi,
});

describe('poorAirAlerts', () => {
  it('when the index is at most "moderate", then nothing is told', () => {
    expect(isPoorOrWorse(60)).toBe(false);
    expect(isPoorOrWorse(60.5)).toBe(true);
    expect(poorAirAlerts([observed('2024-12-31T21:00:00Z', 60)], at)).toEqual([]);
  });

  it('when several hours of a day are poor, then one alert with the worst hour, keyed by place, day and band', () => {
    const alerts = poorAirAlerts(
      [
        observed('2024-12-31T21:00:00Z', 65),
        observed('2024-12-31T22:00:00Z', 72),
        observed('2024-12-31T23:00:00Z', 68),
      ],
      at,
    );

    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      key: 'air-poor:observed:lyon:2024-12-31:poor',
      kind: 'air_quality_poor',
      severity: 'warning',
      facts: { location: 'lyon', hour: '2024-12-31T22:00:00Z', 'European AQI': 72, band: 'poor' },
    });
    expect(() => alert.parse(alerts[0])).not.toThrow();
  });

  it('when a day gets worse, or a forecast is poor, then each is its own alert (critical from "very poor")', () => {
    const forecast: PoorAirHour = {
      locationId: 'paris',
      kind: 'forecast',
      hour: '2025-01-01T23:00:00Z',
      europeanAqi: 83,
      model: { name: 'aqi-eaqi-forecast-24h', version: '2', horizonHours: 24 },
    };

    const alerts = poorAirAlerts(
      [observed('2024-12-31T22:00:00Z', 70), observed('2024-12-31T23:00:00Z', 90), forecast],
      at,
    );

    expect(alerts.map((a) => [a.key, a.severity])).toEqual([
      ['air-poor:forecast:paris:2025-01-01:very-poor', 'critical'],
      ['air-poor:observed:lyon:2024-12-31:poor', 'warning'],
      ['air-poor:observed:lyon:2024-12-31:very-poor', 'critical'],
    ]);
    expect(alerts[0]?.text).toContain('aqi-eaqi-forecast-24h version 2 predicts a European AQI of 83');
  });
});

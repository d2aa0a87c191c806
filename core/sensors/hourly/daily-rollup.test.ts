import type { SensorAnomaly } from '../anomaly';
import { normal, seededRandom } from '../testing/series';
import { defaultDetectorThresholds as thresholds } from '../thresholds';

import type { CalibrationBaseline } from './baseline';
import { dailyChecks, type RollupSensor } from './daily-checks';
import { daysCovered, runDailyRollup } from './daily-rollup';
import { hourlyMeans, type FlaggedReading } from './hourly-means';
import type { ReferenceHour } from './reference';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const start = Date.parse('2024-03-01T00:00:00Z');
const days = 9;

const sensors: RollupSensor[] = ['S1', 'S2', 'S3', 'S4'].map((id, i) => ({
  id,
  latitude: 45.76 + i * 0.004,
  longitude: 4.84,
  nearestLocationId: 'lyon',
}));

/** Hourly reference PM2.5 (diurnal cycle and a slow swing). */
const referenceAt = (h: number) => 18 + 7 * Math.sin((2 * Math.PI * h) / 24) + 4 * Math.sin((2 * Math.PI * h) / 89);
const references: ReferenceHour[] = Array.from({ length: days * 24 }, (_, h) => ({
  locationId: 'lyon',
  hour: new Date(start + h * hourMs).toISOString(),
  values: { pm2_5: referenceAt(h) },
}));

/**
 * A reading a minute of every sensor: the reference hour's value with noise; S1's gain grows by 60 % from
 * day 2 to day 6; S2 has 20 flagged minutes at 10:00 on day 1 (the hour falls below 75 % coverage).
 */
function readings(): FlaggedReading[] {
  const random = seededRandom(5);
  const out: FlaggedReading[] = [];
  for (const sensor of sensors) {
    for (let m = 0; m < days * 24 * 60; m++) {
      const h = Math.floor(m / 60);
      const gain = sensor.id === 'S1' ? 1 + 0.6 * Math.min(1, Math.max(0, (m / 1440 - 2) / 4)) : 1;
      const flagged = sensor.id === 'S2' && h === 24 + 10 && m % 60 < 20;
      out.push({
        sensor_id: sensor.id,
        timestamp: new Date(start + m * minuteMs).toISOString(),
        measurements: { pm2_5: gain * referenceAt(h) + normal(random), pm10: 30, no2: 20 },
        qc_flags: flagged ? ['spike:pm2_5'] : [],
      });
    }
  }
  return out;
}

describe('runDailyRollup', () => {
  const all = readings();
  const result = runDailyRollup({ readings: all, sensors, references, thresholds });

  it('then it judges every day the readings cover, with means from clean readings under the coverage rule', () => {
    expect(result.days.map((d) => d.day)).toEqual(daysCovered(all));
    expect(result.days).toHaveLength(days);
    expect(result.excluded).toEqual([
      { sensorId: 'S2', measurement: 'pm2_5', hour: '2024-03-02T10:00:00Z', n: 40, coverage: 40 / 60 },
      { sensorId: 'S2', measurement: 'pm10', hour: '2024-03-02T10:00:00Z', n: 40, coverage: 40 / 60 },
      { sensorId: 'S2', measurement: 'no2', hour: '2024-03-02T10:00:00Z', n: 40, coverage: 40 / 60 },
    ]);
    expect(result.means).toHaveLength(4 * days * 24 * 3 - 3);
  });

  it('then the sensor whose gain grows has one drift anomaly, still open, and no other sensor has any', () => {
    expect(result.events.map((e) => [e.kind, e.anomaly.sensor_id, e.anomaly.type])).toEqual([
      ['anomaly_opened', 'S1', 'drift'],
    ]);
    expect(result.anomalies.map((a) => [a.anomaly.sensor_id, a.closedAt])).toEqual([['S1', undefined]]);
    expect(result.days.at(-1)?.open.map((a) => a.id)).toEqual([result.events[0]?.anomaly.id]);
  });

  it('then it is hourlyMeans followed by dailyChecks day after day, whatever the order of the readings', () => {
    const means = hourlyMeans([...all].reverse(), { intervalSeconds: 60 });
    let open: SensorAnomaly[] = [];
    const baselines: CalibrationBaseline[] = [];
    for (const expected of result.days) {
      const day = dailyChecks(
        { day: expected.day, sensors, means: means.means, references, open, baselines },
        thresholds,
      );
      expect(day).toEqual(expected);
      open = day.open;
      baselines.push(...day.baselines);
    }
  });
});

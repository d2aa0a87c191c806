import { normal, seededRandom } from '../testing/series';
import { defaultDetectorThresholds as thresholds } from '../thresholds';

import { establishBaseline } from './baseline';
import { toReferenceScale } from './calibration-change';
import type { HourlyMean } from './finding';

const hourMs = 3_600_000;
const start = Date.parse('2024-03-01T00:00:00Z');
const hours = 72;
const series = (value: (h: number) => number): HourlyMean[] =>
  Array.from({ length: hours }, (_, h) => ({ hour: new Date(start + h * hourMs).toISOString(), value: value(h) }));
const reference = series((h) => 25 + 10 * Math.sin((2 * Math.PI * h) / 24));
const ref = (h: number) => (reference[h] as HourlyMean).value;

function establish(sensor: HourlyMean[]) {
  return establishBaseline(
    {
      sensorId: 'S1',
      measurement: 'no2',
      day: '2024-03-03',
      referenceLocationId: 'lyon',
      sensor,
      reference,
      dayEndMs: start + hours * hourMs,
    },
    thresholds,
  );
}

describe('establishBaseline', () => {
  it('when a sensor reads 0.9 × the reference + 13 for three stable days, then that line is its baseline', () => {
    const random = seededRandom(2);
    const baseline = establish(series((h) => 0.9 * ref(h) + 13 + normal(random)));

    expect(baseline).toMatchObject({ sensorId: 'S1', measurement: 'no2', establishedOn: '2024-03-03', windowDays: 3 });
    expect(baseline?.slope).toBeCloseTo(0.9, 1);
    expect(baseline?.intercept).toBeCloseTo(13, 0);
    // On the reference's scale by it, the sensor reads the reference.
    expect(toReferenceScale(0.9 * 30 + 13, baseline as NonNullable<typeof baseline>, thresholds)).toBeCloseTo(30, 0);
  });

  it('when the sensor drifts in those days, then there is no baseline yet', () => {
    const random = seededRandom(2);
    const drifting = series((h) => 0.9 * ref(h) + 13 + normal(random) + (h >= 30 ? (h - 30) * 0.8 : 0));

    expect(establish(drifting)).toBeUndefined();
  });

  it('when a step of +25 lasts 10 hours in them, then there is no baseline yet', () => {
    const random = seededRandom(2);
    const stepped = series((h) => 0.9 * ref(h) + 13 + normal(random) + (h >= 40 && h < 50 ? 25 : 0));

    expect(establish(stepped)).toBeUndefined();
  });

  it('when fewer than two days of hours are paired, then the window is too thin', () => {
    const random = seededRandom(2);
    const thin = series((h) => 0.9 * ref(h) + 13 + normal(random)).filter((_, h) => h % 2 === 0);

    expect(establish(thin)).toBeUndefined();
  });
});

import { normal, seededRandom } from '../testing/series';
import { defaultDetectorThresholds as thresholds } from '../thresholds';

import { assessDrift } from './drift';
import type { HourlyMean } from './finding';

const hourMs = 3_600_000;
const start = Date.parse('2024-03-01T00:00:00Z');
const hour = (h: number) => new Date(start + h * hourMs).toISOString();
const series = (hours: number, value: (h: number) => number): HourlyMean[] =>
  Array.from({ length: hours }, (_, h) => ({ hour: hour(h), value: value(h) }));

/** A week of hourly reference PM2.5 with a diurnal cycle. */
const reference = series(168, (h) => 15 + 5 * Math.sin((2 * Math.PI * h) / 24));
const referenceMean = reference.reduce((s, r) => s + r.value, 0) / reference.length;
const assess = (sensor: HourlyMean[], ref = reference) =>
  assessDrift({ sensorId: 'CAP_001', measurement: 'pm2_5', sensor, reference: ref }, thresholds);

describe('assessDrift', () => {
  it('when a calibrated sensor follows the reference with noise for a week, then it is judged and nothing is found', () => {
    const random = seededRandom(7);
    const sensor = reference.map((r) => ({ hour: r.hour, value: r.value + normal(random) }));

    const assessment = assess(sensor);

    expect(assessment).toMatchObject({ pairs: 168, judged: true });
    expect(assessment.finding).toBeUndefined();
  });

  it('when the bias starts growing by 2.5 µg/m³ a day on day 3, then drift is found by its trend, starting near day 3', () => {
    const random = seededRandom(11);
    const onset = 72;
    const sensor = reference.map((r, h) => ({
      hour: r.hour,
      value: r.value + normal(random) + Math.max(0, ((h - onset) / 24) * 2.5),
    }));

    const { finding } = assess(sensor);

    expect(finding?.type).toBe('drift');
    expect(finding?.evidence.rules).toContain('trend');
    expect(Math.abs(Date.parse(finding?.start ?? '') - (start + onset * hourMs))).toBeLessThanOrEqual(6 * hourMs);
    expect(finding?.end).toBe(hour(167));
  });

  it('when a drifting sensor is recalibrated on day 2, then its bias falling back to 0 is no drift, steep as it is', () => {
    const random = seededRandom(13);
    const recalibrated = 60;
    // The end of a drift (bias 10 → 14 µg/m³) in the window's first days, then a calibrated sensor.
    const sensor = reference.map((r, h) => ({
      hour: r.hour,
      value: r.value + normal(random) * 0.5 + (h < recalibrated ? 10 + (4 * h) / recalibrated : 0),
    }));
    const assessment = assess(sensor);
    expect(assessment.trendPerDay).toBeLessThan(-thresholds.measurements.pm2_5.driftPerDay);
    expect(assessment.trendR2).toBeGreaterThanOrEqual(thresholds.driftTrendMinR2);
    expect(assessment.finding).toBeUndefined();
  });

  it('when the mean bias is just within the band, then nothing; just beyond it, drift by the bias rule', () => {
    const limit = Math.max(thresholds.measurements.pm2_5.biasLimit, thresholds.biasRelative * referenceMean);

    expect(assess(reference.map((r) => ({ ...r, value: r.value + limit - 0.01 }))).finding).toBeUndefined();
    const { finding } = assess(reference.map((r) => ({ ...r, value: r.value + limit + 0.01 })));
    expect(finding?.evidence.rules).toEqual(['bias']);
    expect(finding?.start).toBe(hour(0));
  });

  it('when the slope leaves the band with a good fit, then drift by the slope rule; with a poor fit, no slope judgement', () => {
    const low = series(168, (h) => 5 + 4 * Math.sin((2 * Math.PI * h) / 24));

    expect(
      assess(
        low.map((r) => ({ ...r, value: 1.34 * r.value })),
        low,
      ).finding,
    ).toBeUndefined();
    expect(
      assess(
        low.map((r) => ({ ...r, value: 1.36 * r.value })),
        low,
      ).finding?.evidence.rules,
    ).toEqual(['slope']);
    const noisy = assess(
      low.map((r, h) => ({ ...r, value: 1.5 * r.value + (h % 2 === 0 ? 9 : -9) })),
      low,
    );
    expect(noisy.fit?.slope).toBeGreaterThan(thresholds.slopeMax);
    expect(noisy.fit?.r2).toBeLessThan(thresholds.slopeMinR2);
    expect(noisy.finding?.evidence.rules ?? []).not.toContain('slope');
  });

  it('when fewer hours than driftMinPairs pair up, then drift is not judged', () => {
    const sensor = series(168, (h) => 100 + h).filter((_, h) => h % 4 === 0);

    expect(assess(sensor)).toEqual({ pairs: 42, judged: false });
  });

  it('when the series are longer than driftDays, then only the last driftDays are used', () => {
    const longReference = series(240, (h) => 15 + 5 * Math.sin((2 * Math.PI * h) / 24));
    const sensor = longReference.map((r, h) => ({ ...r, value: r.value + (h < 72 ? 40 : 0) }));

    const assessment = assess(sensor, longReference);

    expect(assessment).toMatchObject({ pairs: 168, judged: true });
    expect(assessment.finding).toBeUndefined();
  });
});

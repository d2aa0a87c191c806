import { normal, seededRandom } from '../testing/series';
import { defaultDetectorThresholds as thresholds } from '../thresholds';

import { calibrate } from './calibration';
import { assessDrift } from './drift';
import type { HourlyMean } from './finding';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const start = Date.parse('2024-03-01T00:00:00Z');
const hour = (h: number) => new Date(start + h * hourMs).toISOString();
const series = (hours: number, value: (h: number) => number): HourlyMean[] =>
  Array.from({ length: hours }, (_, h) => ({ hour: hour(h), value: value(h) }));

/** A week of hourly reference PM2.5: a diurnal cycle and a slower swing. */
const reference = series(
  168,
  (h) => 15 + 5 * Math.sin((2 * Math.PI * h) / 24) + 3 * Math.sin((2 * Math.PI * h) / (24 * 3.3)),
);
const ref = (h: number) => (reference[h] as HourlyMean).value;

/** A sensor with gain and offset over the reference, 3 % noise, and `change(h)` added to it. */
function sensor(options: { gain?: number; offset?: number; change?: (h: number) => number; seed?: number }) {
  const random = seededRandom(options.seed ?? 7);
  const { gain = 1, offset = 0, change = () => 0 } = options;
  return series(168, (h) => (gain * ref(h) + offset) * (1 + 0.03 * normal(random)) + change(h));
}

/** Its baseline: the line of its first three days. */
const baselineOf = (values: HourlyMean[]) =>
  calibrate(values, reference, { fromMs: start, toMs: start + 3 * dayMs, minPairs: 48 });

const assess = (values: HourlyMean[], baseline?: ReturnType<typeof baselineOf>) =>
  assessDrift(
    {
      sensorId: 'CAP_001',
      measurement: 'pm2_5',
      sensor: values,
      reference,
      dayEndMs: start + 7 * dayMs,
      ...(baseline === undefined ? {} : { baseline }),
    },
    thresholds,
  );

describe('assessDrift', () => {
  it('when a calibrated sensor follows the reference with noise for a week, then it is judged and nothing is found', () => {
    const values = sensor({});

    const withoutBaseline = assess(values);
    const withBaseline = assess(values, baselineOf(values));

    expect(withoutBaseline).toMatchObject({ pairs: 168, judged: true });
    expect(withoutBaseline.finding).toBeUndefined();
    expect(withBaseline.finding).toBeUndefined();
  });

  it('when a sensor reads 60 % high plus 4 µg/m³ all week, then that is calibration: no drift, with or without its baseline', () => {
    const values = sensor({ gain: 1.6, offset: 4 });

    expect(assess(values).finding).toBeUndefined();
    expect(assess(values, baselineOf(values)).finding).toBeUndefined();
  });

  it('when its offset grows steadily to +15 µg/m³ over the last 30 hours, then drift by the ramp rule, from the ramp', () => {
    const onset = 168 - 30;
    const values = sensor({ gain: 1.4, change: (h) => Math.max(0, (15 * (h - onset)) / 30) });

    const { finding } = assess(values);

    expect(finding?.type).toBe('drift');
    expect(finding?.evidence.rules).toContain('ramp');
    // Offset and gain changes look alike over a narrow range of the reference: the stronger one is reported.
    expect(finding?.evidence.ramp).toMatchObject({ from: 'own_line' });
    expect((finding?.evidence.ramp as { change: number }).change).toBeGreaterThan(0);
    expect(Math.abs(Date.parse(finding?.start ?? '') - (start + onset * hourMs))).toBeLessThanOrEqual(3 * hourMs);
    expect(finding?.end).toBe(hour(167));
  });

  it('when its sensitivity fades to 40 % over 36 hours and comes back, then drift by the ramp rule, downwards', () => {
    const onset = 168 - 46;
    const end = 168 - 10;
    const fade = (h: number) => (h >= onset && h < end ? 1 - (0.6 * (h - onset + 1)) / (end - onset) : 1);
    const random = seededRandom(5);
    const values = series(168, (h) => 1.3 * ref(h) * fade(h) * (1 + 0.03 * normal(random)));

    const { finding } = assess(values, baselineOf(values));

    expect(finding?.evidence.rules).toContain('ramp');
    expect(finding?.evidence.ramp).toMatchObject({ from: 'baseline' });
    expect((finding?.evidence.ramp as { change: number }).change).toBeLessThan(0);
    expect(Date.parse(finding?.end ?? '')).toBeLessThanOrEqual(start + end * hourMs);
  });

  it('when its offset jumps by 20 µg/m³ for 10 hours at once, then that is a step (the stream check’s), not drift', () => {
    const values = sensor({ change: (h) => (h >= 150 && h < 160 ? 20 : 0) });

    const { finding } = assess(values, baselineOf(values));

    expect(finding).toBeUndefined();
  });

  it('when, with a baseline, it reads 8 µg/m³ over it all day, then drift by the shift rule', () => {
    const values = sensor({ gain: 1.2, change: (h) => (h >= 120 ? 8 : 0) });
    const baseline = baselineOf(values);

    const { finding } = assess(values, baseline);
    const without = assess(values);

    expect(finding?.evidence.rules).toContain('shift');
    expect((finding?.evidence.shift as { kind: string }).kind).toMatch(/_up$/);
    expect(without.finding?.evidence.rules ?? []).not.toContain('shift');
  });

  it('when the bias starts growing by 2.5 µg/m³ a day on day 3, then drift by its trend, starting near day 3', () => {
    const onset = 72;
    const values = sensor({ change: (h) => Math.max(0, ((h - onset) / 24) * 2.5) });

    const { finding } = assess(values, baselineOf(values));

    expect(finding?.evidence.rules).toContain('trend');
    expect(Math.abs(Date.parse(finding?.start ?? '') - (start + onset * hourMs))).toBeLessThanOrEqual(12 * hourMs);
    expect(finding?.end).toBe(hour(167));
  });

  it('when a drifting sensor is recalibrated on day 2, then its bias falling back to 0 is no drift, steep as it is', () => {
    const recalibrated = 60;
    const values = sensor({ change: (h) => (h < recalibrated ? 10 + (4 * h) / recalibrated : 0) });

    const assessment = assess(values, baselineOf(sensor({})));

    expect(assessment.trendPerDay).toBeLessThan(-thresholds.measurements.pm2_5.driftPerDay);
    expect(assessment.trendR2).toBeGreaterThanOrEqual(thresholds.driftTrendMinR2);
    expect(assessment.finding).toBeUndefined();
  });

  it('when there are fewer hours than any rule needs, then it is not judged', () => {
    const values = sensor({}).slice(0, 30);

    expect(
      assessDrift(
        { sensorId: 'CAP_001', measurement: 'pm2_5', sensor: values, reference, dayEndMs: start + 30 * hourMs },
        thresholds,
      ),
    ).toEqual({ pairs: 30, judged: false });
  });
});

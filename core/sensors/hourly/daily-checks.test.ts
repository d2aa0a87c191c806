import type { SensorAnomaly } from '../anomaly';
import { anomalyId } from '../anomaly';
import { normal, seededRandom } from '../testing/series';
import { defaultDetectorThresholds as thresholds } from '../thresholds';

import type { CalibrationBaseline } from './baseline';
import { calibrate } from './calibration';
import { dailyChecks, type DailyChecksInput, type RollupSensor } from './daily-checks';
import type { ReferenceHour } from './reference';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const start = Date.parse('2024-03-01T00:00:00Z');
const dayOf = (d: number) => new Date(start + d * dayMs).toISOString().slice(0, 10);
const hourIso = (h: number) => new Date(start + h * hourMs).toISOString();

/** Five sensors a few hundred metres apart near Lyon, all referenced to lyon. */
const sensors: RollupSensor[] = ['S1', 'S2', 'S3', 'S4', 'S5'].map((id, i) => ({
  id,
  latitude: 45.76 + i * 0.004,
  longitude: 4.84 + i * 0.003,
  nearestLocationId: 'lyon',
}));

/** Reference PM2.5 over `days`: a diurnal cycle, a slower weather swing and 1 µg/m³ of noise. */
function referenceSeries(days: number, seed = 3): number[] {
  const random = seededRandom(seed);
  return Array.from(
    { length: days * 24 },
    (_, h) => 18 + 7 * Math.sin((2 * Math.PI * h) / 24) + 4 * Math.sin((2 * Math.PI * h) / (24 * 3.7)) + normal(random),
  );
}

interface Scenario {
  days: number;
  /** The gain of a sensor at hour h (default 1: a calibrated sensor). */
  gain?: (sensorId: string, h: number) => number;
  sensors?: RollupSensor[];
}

/** Hourly means of every sensor (the reference × gain × 5 % noise) and the reference hours. */
function scenario({ days, gain = () => 1, sensors: placed = sensors }: Scenario) {
  const reference = referenceSeries(days);
  const random = seededRandom(11);
  const means: DailyChecksInput['means'] = placed.flatMap((s) =>
    reference.map((value, h) => ({
      sensorId: s.id,
      measurement: 'pm2_5',
      hour: hourIso(h),
      value: gain(s.id, h) * value * (1 + 0.05 * normal(random)),
    })),
  );
  const references: ReferenceHour[] = reference.map((value, h) => ({
    locationId: 'lyon',
    hour: hourIso(h),
    values: { pm2_5: value },
  }));
  return { means, references, sensors: placed };
}

/** Runs the checks day after day, each with what the days before left open and the baselines they set. */
function runDays(input: ReturnType<typeof scenario>, days: number) {
  let open: SensorAnomaly[] = [];
  const baselines: CalibrationBaseline[] = [];
  const results = [];
  for (let d = 0; d < days; d++) {
    const result = dailyChecks({ day: dayOf(d), ...input, open, baselines }, thresholds);
    results.push(result);
    open = result.open;
    baselines.push(...result.baselines);
  }
  return results;
}

/** The gain of S1 grows from 1 to 1.4 between day 3 and day 7, then stays (a +40 % gain drift). */
const growingGain = (sensorId: string, h: number) =>
  sensorId === 'S1' ? 1 + 0.4 * Math.min(1, Math.max(0, (h / 24 - 3) / 4)) : 1;

describe('dailyChecks', () => {
  it('when a sensor gains 40 % over days, then drift opens once, on it only, starting near the onset', () => {
    const results = runDays(scenario({ days: 12, gain: growingGain }), 12);
    const events = results.flatMap((r) => r.events);
    const drifts = events.filter((e) => e.anomaly.type === 'drift');

    expect(drifts.map((e) => [e.kind, e.anomaly.sensor_id, e.anomaly.measurement])).toEqual([
      ['anomaly_opened', 'S1', 'pm2_5'],
    ]);
    // Before the drift opens its neighbours may see the same fault hour by hour; nobody else is reported.
    expect(new Set(events.map((e) => e.anomaly.sensor_id))).toEqual(new Set(['S1']));
    const drift = drifts[0]?.anomaly as SensorAnomaly;
    expect(drift.id).toBe(
      anomalyId({ sensorId: 'S1', type: 'drift', measurement: 'pm2_5', start: drift.window.start }),
    );
    expect(Math.abs(Date.parse(drift.window.start) - (start + 3 * dayMs))).toBeLessThanOrEqual(dayMs);
    // Found at the end of a day; once open, the neighbour check leaves the drifting sensor alone.
    const openedOn = results.findIndex((r) => r.events.some((e) => e.anomaly.type === 'drift'));
    expect(drift.detected_at).toBe(new Date(start + (openedOn + 1) * dayMs).toISOString());
    expect(results.slice(openedOn + 1).flatMap((r) => r.events.filter((e) => e.kind === 'anomaly_opened'))).toEqual([]);
    expect(results.at(-1)?.open.map((a) => a.id)).toEqual([drift.id]);
  });

  it('when a drifted sensor is recalibrated, then its drift stays open until it is back, then closes', () => {
    const fixed = (sensorId: string, h: number) => (h >= 10 * 24 ? 1 : growingGain(sensorId, h));

    const results = runDays(scenario({ days: 24, gain: fixed }), 24);
    const events = results.flatMap((r) =>
      r.events.filter((e) => e.anomaly.type === 'drift').map((e) => ({ ...e, day: r.day })),
    );

    expect(events.map((e) => e.kind)).toEqual(['anomaly_opened', 'anomaly_closed']);
    const closed = events[1];
    // Closed at the end of the day that no longer finds it.
    expect(closed?.kind === 'anomaly_closed' && closed.closedAt).toBe(
      new Date(Date.parse(`${closed?.day}T00:00:00Z`) + dayMs).toISOString(),
    );
    expect(closed?.anomaly.id).toBe(events[0]?.anomaly.id);
    // Not before the fix: the sensor was still off its baseline until day 10.
    expect(Date.parse(closed?.day ?? '')).toBeGreaterThanOrEqual(start + 10 * dayMs);
  });

  it('when a sensor is miscalibrated but stable (gain 1.6, offset +4), then nothing is found; its calibration says so', () => {
    const input = scenario({ days: 14 });
    const miscalibrated = {
      ...input,
      means: input.means.map((m) => (m.sensorId === 'S2' ? { ...m, value: 1.6 * m.value + 4 } : m)),
    };

    const results = runDays(miscalibrated, 14);

    expect(results.flatMap((r) => r.events)).toEqual([]);
    const s2 = results.at(-1)?.calibrations.find((c) => c.sensorId === 'S2' && c.windowDays === 7);
    expect(s2?.slope).toBeGreaterThan(thresholds.slopeMax);
    expect(s2?.verdict).toEqual({ withinTargets: false, outside: ['slope'] });
    const others = results.at(-1)?.calibrations.filter((c) => c.sensorId !== 'S2') ?? [];
    expect(others.every((c) => c.verdict.withinTargets)).toBe(true);
    // Its baseline is its own line, established once, after its first two stable days.
    const baselines = results.flatMap((r) => r.baselines).filter((b) => b.sensorId === 'S2');
    expect(baselines).toHaveLength(1);
    expect(baselines[0]?.establishedOn).toBe(dayOf(1));
    expect(baselines[0]?.slope).toBeCloseTo(1.6, 1);
  });

  it('when a sensor reads a persistent +13 µg/m³ over its neighbours, then it is calibration, not disagreement', () => {
    const input = scenario({ days: 6 });
    const offset = {
      ...input,
      means: input.means.map((m) => (m.sensorId === 'S4' ? { ...m, value: m.value + 13 } : m)),
    };

    const results = runDays(offset, 6);

    expect(results.flatMap((r) => r.events)).toEqual([]);
    expect(results.at(-1)?.judged.neighbourHours).toBe(5 * 24);
  });

  it('when a sensor with a baseline departs suddenly from its neighbours for hours, then that is a disagreement', () => {
    const input = scenario({ days: 6 });
    const departing = (h: number) => h >= 5 * 24 + 9 && h < 5 * 24 + 13;
    const plume = {
      ...input,
      means: input.means.map((m) => {
        const h = (Date.parse(m.hour) - start) / hourMs;
        return m.sensorId === 'S4' ? { ...m, value: m.value + 13 + (departing(h) ? 25 : 0) } : m;
      }),
    };

    const results = runDays(plume, 6);
    const events = results.flatMap((r) => r.events);

    expect(
      results
        .slice(0, 5)
        .flatMap((r) => r.baselines)
        .some((b) => b.sensorId === 'S4'),
    ).toBe(true);
    expect(events.map((e) => [e.kind, e.anomaly.sensor_id, e.anomaly.type])).toEqual([
      ['anomaly_opened', 'S4', 'neighbour_disagreement'],
      ['anomaly_closed', 'S4', 'neighbour_disagreement'],
    ]);
    expect(events[1]?.anomaly.window).toEqual({
      start: hourIso(5 * 24 + 9),
      end: hourIso(5 * 24 + 12),
    });
  });

  it('when every sensor keeps its calibration for two weeks, then nothing is found', () => {
    const results = runDays(scenario({ days: 14 }), 14);

    expect(results.flatMap((r) => r.events)).toEqual([]);
    expect(results.at(-1)?.judged).toEqual({ neighbourHours: 5 * 24, driftSeries: 5 });
  });

  it('when a sensor reads 3 times its neighbours from its first hour, then that is its calibration: no disagreement', () => {
    const input = scenario({ days: 1, gain: (id) => (id === 'S3' ? 3 : 1) });

    const [result] = runDays(input, 1);

    expect(result?.events).toEqual([]);
    expect(result?.judged.neighbourHours).toBe(5 * 24);
  });

  it('when a sensor has fewer than 3 neighbours, then no neighbour verdict is given, however far off it reads', () => {
    const input = scenario({ days: 1, sensors: sensors.slice(0, 3), gain: (id) => (id === 'S3' ? 3 : 1) });

    const [result] = runDays(input, 1);

    expect(result?.events).toEqual([]);
    expect(result?.judged.neighbourHours).toBe(0);
  });

  it('when the disagreement stops, then the anomaly closes at the end of the first hour judged without it', () => {
    const input = scenario({ days: 1, gain: (id, h) => (id === 'S3' && h >= 5 && h < 8 ? 3 : 1) });

    const [result] = runDays(input, 1);

    expect(result?.events.map((e) => e.kind)).toEqual(['anomaly_opened', 'anomaly_closed']);
    expect(result?.events[1]).toMatchObject({
      closedAt: '2024-03-01T09:00:00.000Z',
      anomaly: { window: { start: '2024-03-01T05:00:00.000Z', end: '2024-03-01T07:00:00.000Z' } },
    });
    expect(result?.open).toEqual([]);
  });

  it('then each sensor gets 7- and 30-day calibrations with their verdict against EPA targets', () => {
    const input = scenario({ days: 12, gain: growingGain });
    const day = dayOf(11);

    const result = dailyChecks({ day, ...input, open: [] }, thresholds);
    const s1 = result.calibrations.filter((c) => c.sensorId === 'S1');
    const own = input.means.filter((m) => m.sensorId === 'S1').map((m) => ({ hour: m.hour, value: m.value }));
    const reference = input.references.map((r) => ({ hour: r.hour, value: r.values.pm2_5 as number }));
    const week = calibrate(own, reference, { fromMs: start + 5 * dayMs, toMs: start + 12 * dayMs, minPairs: 48 });

    expect(s1.map((c) => [c.windowDays, c.n, c.asOf, c.referenceLocationId])).toEqual([
      [7, 168, day, 'lyon'],
      [30, 288, day, 'lyon'],
    ]);
    expect(s1[0]).toMatchObject({ bias: week?.bias, slope: week?.slope, r2: week?.r2 });
    expect(result.calibrations.find((c) => c.sensorId === 'S2')?.verdict).toEqual({ withinTargets: true, outside: [] });
    expect(s1[1]?.slope).toBeGreaterThan(1.1);
    expect(result.calibrations).toHaveLength(10);
  });

  it('when a sensor has no reference location or too few hours, then it gets no calibration and no drift verdict', () => {
    const input = scenario({
      days: 2,
      sensors: sensors.map((s) => (s.id === 'S2' ? { ...s, nearestLocationId: null } : s)),
    });

    const firstDay = dailyChecks({ day: dayOf(0), ...input, open: [] }, thresholds);
    const secondDay = dailyChecks({ day: dayOf(1), ...input, open: [] }, thresholds);

    expect(firstDay.calibrations).toEqual([]);
    expect(firstDay.judged.driftSeries).toBe(0);
    expect(secondDay.calibrations.map((c) => `${c.sensorId}/${c.windowDays}`)).toEqual([
      'S1/7',
      'S1/30',
      'S3/7',
      'S3/30',
      'S4/7',
      'S4/30',
      'S5/7',
      'S5/30',
    ]);
  });

  it('when a day is judged again with the anomalies open and the baselines set before it, then it gives the same result', () => {
    const input = scenario({ days: 10, gain: growingGain });
    const results = runDays(input, 10);
    const openedOn = results.findIndex((r) => r.events.some((e) => e.anomaly.type === 'drift'));
    const before = results[openedOn - 1]?.open ?? [];
    const baselines = results.slice(0, openedOn).flatMap((r) => r.baselines);

    const again = dailyChecks({ day: dayOf(openedOn), ...input, open: before, baselines }, thresholds);
    // Baselines established later than the day are ignored, as the store's "before the day" query does.
    const withLater = dailyChecks(
      { day: dayOf(openedOn), ...input, open: before, baselines: results.flatMap((r) => r.baselines) },
      thresholds,
    );

    expect(again).toEqual(results[openedOn]);
    expect(withLater).toEqual(results[openedOn]);
  });
});

import { readFileSync } from 'node:fs';

import { bundledExports } from '../../../config/bundled-data';
import { firstHour, syntheticReference } from '../../../test/support/sensor-references';
import { parseOpenMeteoCsv } from '../../air-quality/open-meteo/csv';
import { AppError } from '../../errors';
import { sensorReading, type SensorReading } from '../reading';

import { faultLabel, faultTypes, labelsToJsonLines } from './labels';
import { referenceFromReadings } from './reference';
import { simulate, type Simulation } from './simulate';

const references = [
  syntheticReference('paris', { latitude: 48.8566, longitude: 2.3522 }),
  syntheticReference('lyon', { latitude: 45.764, longitude: 4.8357, withO3: true }),
];
const small = { sensors: 6, days: 2, intervalSeconds: 120, seed: 11 };
const bytes = (simulation: Simulation) =>
  simulation.messages.map((m) => `${m.sendOffsetMs} ${m.key} ${m.eventTime} ${m.value}`).join('\n');
const readingOf = (value: string): SensorReading | undefined => {
  try {
    const parsed = sensorReading.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

describe('simulate', () => {
  it('when the same options and series are simulated twice, then stream and labels are byte-identical', () => {
    const first = simulate(small, references);
    const again = simulate(small, references);

    expect(bytes(again)).toBe(bytes(first));
    expect(labelsToJsonLines(again.labels)).toBe(labelsToJsonLines(first.labels));
    expect(bytes(simulate({ ...small, seed: 12 }, references))).not.toBe(bytes(first));
  });

  it('when only the fault mix changes, then the clean sensors send exactly the same messages', () => {
    const base = simulate(small, references);
    const spiky = simulate({ ...small, faults: { kind: 'rates', perSensorDay: { spike: 3 } } }, references);
    const clean = base.sensors.filter((s) => s.clean).map((s) => s.sensor_id);
    const of = (simulation: Simulation) => simulation.messages.filter((m) => clean.includes(m.key));

    expect(clean.length).toBeGreaterThan(0);
    expect(of(spiky)).toEqual(of(base));
    expect(spiky.labels.filter((l) => l.type === 'spike').length).toBeGreaterThan(
      base.labels.filter((l) => l.type === 'spike').length,
    );
  });

  it('when a sensor is near a location with ozone, then its readings carry o3 and weather; others do not carry o3', () => {
    const { sensors } = simulate(small, references);

    expect(sensors.find((s) => s.location_id === 'lyon')?.measurements).toEqual([
      'pm2_5',
      'pm10',
      'no2',
      'o3',
      'temperature',
      'relative_humidity',
    ]);
    expect(sensors.find((s) => s.location_id === 'paris')?.measurements).not.toContain('o3');
  });

  it('when the window reaches past the hourly data, then the simulation is refused saying what the data covers', () => {
    const tooLong = () => simulate({ ...small, days: 4 }, references);
    const tooEarly = () => simulate({ ...small, start: '2023-12-31T00:00:00Z' }, references);

    expect(tooLong).toThrow(AppError);
    expect(tooLong).toThrow(/paris has hourly data from 2024-01-01T00:00:00Z to 2024-01-04T00:00:00Z/);
    expect(tooEarly).toThrow(/needs 2023-12-31T00:00:00Z/);
    expect(() => simulate(small, [])).toThrow(/at least one location/);
  });

  it('when no start is given, then the window starts at the series’ first hour and ends days later', () => {
    const { window } = simulate(small, references);

    expect(window).toEqual({
      start: new Date(firstHour).toISOString().replace('.000Z', 'Z'),
      end: '2024-01-03T00:00:00Z',
      intervalSeconds: 120,
      readingsPerSensor: 2 * 24 * 30,
    });
  });
});

describe('the default benchmark scenario on the bundled Lyon data', () => {
  let simulation: Simulation;
  const sent = new Map<string, string[]>();
  const at = (sensor: string, time: string) => sent.get(`${sensor} ${time}`) ?? [];

  beforeAll(() => {
    const lyon = referenceFromReadings(
      { id: 'lyon', latitude: 45.764, longitude: 4.8357 },
      parseOpenMeteoCsv(readFileSync(bundledExports.lyon2024, 'utf8')),
    );
    simulation = simulate({ start: '2024-01-15T00:00:00Z' }, [lyon]);
    for (const m of simulation.messages) {
      const key = `${m.key} ${m.eventTime}`;
      sent.set(key, [...(sent.get(key) ?? []), m.value]);
    }
  }, 60_000);

  it('when it runs, then 24 sensors × 7 days × a reading a minute carry every fault type and clean sensors', () => {
    const { labels } = simulation;

    expect(simulation.sensors).toHaveLength(24);
    expect(simulation.window.readingsPerSensor).toBe(7 * 24 * 60);
    expect(faultTypes.filter((t) => !labels.some((l) => l.type === t))).toEqual([]);
    expect(simulation.summary.unplaced).toEqual({});
    expect(simulation.sensors.filter((s) => s.clean).length).toBe(6);
    expect(labels.every((l) => faultLabel.safeParse(l).success)).toBe(true);
    expect(simulation.summary.derived.lyon?.no2).toMatch(/carbon_monoxide/);
  });

  it('when the stream is read in order, then send times never go back and the malformed are the unreadable', () => {
    const { labels, messages } = simulation;
    const malformed = new Set(labels.filter((l) => l.type === 'malformed').map((l) => `${l.sensor_id} ${l.start}`));
    // Every malformed message, and one in 50 of the others (zod over all 240,000 takes seconds).
    const checked = messages.filter((m, i) => malformed.has(`${m.key} ${m.eventTime}`) || i % 50 === 0);

    expect(messages.every((m, i) => i === 0 || (messages[i - 1]?.sendOffsetMs ?? 0) <= m.sendOffsetMs)).toBe(true);
    expect(checked.filter((m) => readingOf(m.value) === undefined).map((m) => `${m.key} ${m.eventTime}`)).toEqual([
      ...malformed,
    ]);
  });

  it('when a label is looked up in the stream, then the stream shows that fault at that time', () => {
    const { labels, messages } = simulation;
    const interval = 60_000;
    const times = (label: { start: string; end: string }) => {
      const out: string[] = [];
      for (let ms = Date.parse(label.start); ms <= Date.parse(label.end); ms += interval) {
        out.push(new Date(ms).toISOString().replace('.000Z', 'Z'));
      }
      return out;
    };
    const value = (sensor: string, time: string, measurement: string) =>
      at(sensor, time).map((v) => readingOf(v)?.measurements[measurement as 'pm2_5'])[0];

    for (const label of labels) {
      const first = at(label.sensor_id, label.start);
      if (label.type === 'dropout') expect(times(label).flatMap((t) => at(label.sensor_id, t))).toEqual([]);
      if (label.type === 'duplicate') expect(new Set(first).size === 1 && first.length === 2).toBe(true);
      if (label.type === 'malformed') expect(first.map(readingOf)).toEqual([undefined]);
      if (label.type === 'out_of_range' && label.detail === 'sentinel -999') {
        expect(value(label.sensor_id, label.start, label.measurement ?? '')).toBe(-999);
      }
      if (label.type === 'out_of_range' && label.detail === 'negative value') {
        expect(value(label.sensor_id, label.start, label.measurement ?? '')).toBeLessThan(0);
      }
      if (label.type === 'flatline') {
        const held = new Set(times(label).map((t) => value(label.sensor_id, t, label.measurement ?? '')));
        expect(held.size).toBe(1);
      }
    }
    const late = labels.filter((l) => l.type === 'late');
    const lateMessages = messages.filter((m) => late.some((l) => l.sensor_id === m.key && l.start === m.eventTime));
    expect(
      lateMessages.map((m) => Date.parse(simulation.window.start) + m.sendOffsetMs - Date.parse(m.eventTime) > 300_000),
    ).toEqual(late.map(() => true));
  });
});

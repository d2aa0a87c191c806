import type { SensorMeasurementName, SensorReading } from '../reading';

/**
 * Test-only series for the detector's tests: a few sensors breathing clean, noisy, diurnal air, one
 * reading a minute, from a seed. Deliberately minimal (the simulator of core/sensors/simulator is the real
 * thing); faults are injected by the tests themselves with the helpers below, so each test says what it
 * broke.
 */

export const minuteMs = 60_000;
export const dayMs = 24 * 60 * minuteMs;
export const seriesStart = Date.parse('2024-03-01T00:00:00Z');

/** mulberry32: a tiny seeded generator, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export interface CleanSeriesOptions {
  sensorId: string;
  seed: number;
  minutes: number;
  startMs?: number;
  location?: { lat: number; lon: number };
  /** Mean PM2.5 level, µg/m³ (default 12). */
  level?: number;
  /** Add temperature and relative humidity (default true). */
  weather?: boolean;
}

/**
 * PM2.5 with a diurnal cycle and a slow random wander, PM10 ≈ 1.6 × PM2.5, NO2 with two rush hours, and
 * optionally temperature and humidity; every value with noise that grows with the level (as low-cost
 * sensors' does), rounded to 0.1 as such sensors report.
 */
export function cleanSeries(options: CleanSeriesOptions): SensorReading[] {
  const random = seededRandom(options.seed);
  const startMs = options.startMs ?? seriesStart;
  const level = options.level ?? 12;
  const location = options.location ?? { lat: 48.85, lon: 2.35 };
  const phase = random() * 2 * Math.PI;
  let wander = 0;
  const readings: SensorReading[] = [];
  for (let i = 0; i < options.minutes; i++) {
    const ms = startMs + i * minuteMs;
    const day = (ms % dayMs) / dayMs;
    wander = 0.999 * wander + 0.05 * normal(random);
    const pm = Math.max(2, level + 0.4 * level * Math.sin(2 * Math.PI * day + phase) + wander);
    const rush = Math.exp(-(((day - 8 / 24) * 24) ** 2) / 2) + Math.exp(-(((day - 18 / 24) * 24) ** 2) / 2);
    const no2 = 20 + 25 * rush + 2 * wander;
    const measurements: Partial<Record<SensorMeasurementName, number>> = {
      pm2_5: round1(Math.max(0, pm + (0.8 + 0.05 * pm) * normal(random))),
      pm10: round1(Math.max(0, 1.6 * pm + (1.2 + 0.05 * pm) * normal(random))),
      no2: round1(Math.max(0, no2 + (2 + 0.05 * no2) * normal(random))),
    };
    if (options.weather ?? true) {
      measurements.temperature = round1(12 + 5 * Math.sin(2 * Math.PI * (day - 0.375)) + 0.15 * normal(random));
      measurements.relative_humidity = round1(65 - 15 * Math.sin(2 * Math.PI * (day - 0.375)) + 0.8 * normal(random));
    }
    readings.push({
      sensor_id: options.sensorId,
      timestamp: new Date(ms).toISOString(),
      location,
      measurements: measurements as SensorReading['measurements'],
    });
  }
  return readings;
}

/** A copy of `reading` with one measurement replaced. */
export function withMeasurement(reading: SensorReading, name: SensorMeasurementName, value: number): SensorReading {
  return { ...reading, measurements: { ...reading.measurements, [name]: value } };
}

/** Applies `change` to one measurement of the readings with index in [from, to). */
export function alter(
  readings: readonly SensorReading[],
  name: SensorMeasurementName,
  from: number,
  to: number,
  change: (value: number, index: number) => number,
): SensorReading[] {
  return readings.map((r, i) => {
    const value = r.measurements[name];
    return i >= from && i < to && value !== undefined ? withMeasurement(r, name, change(value, i)) : r;
  });
}

/** Readings of several series merged in event-time order (sensor id on ties), as a partition would carry them. */
export function interleave(...series: readonly SensorReading[][]): SensorReading[] {
  return series
    .flat()
    .sort(
      (a, b) =>
        Date.parse(a.timestamp) - Date.parse(b.timestamp) ||
        (a.sensor_id < b.sensor_id ? -1 : a.sensor_id > b.sensor_id ? 1 : 0),
    );
}

export const msOf = (reading: SensorReading): number => Date.parse(reading.timestamp);

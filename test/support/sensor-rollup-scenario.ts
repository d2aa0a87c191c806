import type { CheckedReading } from '../../adapters/postgres/sensor-stream';
import type { RollupSensor } from '../../core/sensors/hourly/daily-checks';
import type { FlaggedReading } from '../../core/sensors/hourly/hourly-means';
import type { SensorReading } from '../../core/sensors/reading';
import { normal, seededRandom } from '../../core/sensors/testing/series';

/**
 * A few sensors around a reference location, one reading a minute, for the daily rollup's tests (activities,
 * time-skipping, integration, history capture): each reads the reference hour's PM2.5 and PM10 (held for
 * the hour) with 3 % noise; the first sensor's PM2.5 gain grows linearly over the days from `gainFrom` to
 * `gainTo` (reached when it is recalibrated, at `fixedFromDay`, or at the end). Seeded: the same options
 * give the same readings.
 */
export interface RollupScenarioOptions {
  prefix: string;
  /** First day, `YYYY-MM-DD`; readings cover `days` whole days from its midnight (UTC). */
  firstDay: string;
  days: number;
  /** The reference at an hour (epoch ms of its start); NO2 is made up when absent (no reference for it). */
  reference: (hourMs: number) => { pm2_5: number; pm10: number };
  center: { lat: number; lon: number };
  /** The sensors' reference location (the registry's nearest location). */
  locationId: string;
  sensors?: number;
  gainFrom?: number;
  gainTo?: number;
  /** From this day on (0 = the first) the drifting sensor is recalibrated: gain 1 again. */
  fixedFromDay?: number;
  seed?: number;
}

export interface RollupScenario {
  sensors: (RollupSensor & { lat: number; lon: number })[];
  readings: SensorReading[];
  /** The drifting sensor. */
  drifting: string;
}

const minuteMs = 60_000;

export function rollupScenario(options: RollupScenarioOptions): RollupScenario {
  const count = options.sensors ?? 5;
  const random = seededRandom(options.seed ?? 7);
  const start = Date.parse(`${options.firstDay}T00:00:00Z`);
  const minutes = options.days * 24 * 60;
  const gainFrom = options.gainFrom ?? 1;
  const gainTo = options.gainTo ?? 1.5;
  // A ring of sensors 1-2 km around the center: within each other's 15 km and the reference's 25 km.
  const sensors = Array.from({ length: count }, (_, i) => {
    const angle = (2 * Math.PI * i) / count;
    const lat = options.center.lat + 0.012 * Math.cos(angle);
    const lon = options.center.lon + 0.016 * Math.sin(angle);
    return { id: `${options.prefix}_${String(i + 1).padStart(3, '0')}`, lat, lon, latitude: lat, longitude: lon };
  });
  const readings: SensorReading[] = [];
  for (const [i, sensor] of sensors.entries()) {
    for (let m = 0; m < minutes; m++) {
      const ms = start + m * minuteMs;
      const hourMs = ms - (ms % 3_600_000);
      const reference = options.reference(hourMs);
      const fixed = options.fixedFromDay !== undefined && m >= options.fixedFromDay * 1440;
      const growth = options.fixedFromDay === undefined ? minutes : options.fixedFromDay * 1440;
      const gain = i === 0 && !fixed ? gainFrom + ((gainTo - gainFrom) * m) / growth : 1;
      const noisy = (value: number) => Math.round(value * (1 + 0.03 * normal(random)) * 100) / 100;
      readings.push({
        sensor_id: sensor.id,
        timestamp: new Date(ms).toISOString(),
        location: { lat: sensor.lat, lon: sensor.lon },
        measurements: {
          pm2_5: noisy(gain * reference.pm2_5),
          pm10: noisy(reference.pm10),
          no2: noisy(20 + 10 * Math.sin((2 * Math.PI * hourMs) / 86_400_000)),
        },
      });
    }
  }
  return {
    sensors: sensors.map(({ id, lat, lon }) => ({
      id,
      lat,
      lon,
      latitude: lat,
      longitude: lon,
      nearestLocationId: options.locationId,
    })),
    readings,
    drifting: sensors[0]?.id ?? '',
  };
}

/** The readings as the detector stores them, unflagged (what commitDetectorChunk takes). */
export function asChecked(readings: readonly SensorReading[], receivedAt: string): CheckedReading[] {
  return readings.map((reading) => ({ reading, flags: [], receivedAt }));
}

/** The readings as the rollup reads them back. */
export function asFlagged(readings: readonly SensorReading[]): FlaggedReading[] {
  return readings.map((r) => ({
    sensor_id: r.sensor_id,
    timestamp: r.timestamp,
    measurements: r.measurements,
    qc_flags: [],
  }));
}

/** A synthetic reference: a diurnal cycle and a slow swing, PM10 at 1.6 × PM2.5. */
export function syntheticReferenceAt(hourMs: number): { pm2_5: number; pm10: number } {
  const h = hourMs / 3_600_000;
  const pm2_5 = 18 + 7 * Math.sin((2 * Math.PI * h) / 24) + 4 * Math.sin((2 * Math.PI * h) / 89);
  return { pm2_5, pm10: 1.6 * pm2_5 };
}

import type pg from 'pg';

import type { SensorMeasurements } from '../../core/sensors/reading';

/** A sensor's newest stored reading, with the checks it failed. */
export interface LatestSensorReading {
  sensorId: string;
  at: string;
  latitude: number;
  longitude: number;
  measurements: Partial<SensorMeasurements>;
  qcFlags: string[];
}

interface ReadingRow {
  sensor_id: string;
  observed_at: Date;
  latitude: number;
  longitude: number;
  pm2_5: number;
  pm10: number;
  no2: number;
  o3: number | null;
  co: number | null;
  qc_flags: string[];
}

const measured = (r: ReadingRow): Partial<SensorMeasurements> => ({
  pm2_5: r.pm2_5,
  pm10: r.pm10,
  no2: r.no2,
  ...(r.o3 === null ? {} : { o3: r.o3 }),
  ...(r.co === null ? {} : { co: r.co }),
});

/** The newest reading of every active sensor that has one (one index lookup per sensor). */
export async function latestSensorReadings(pool: pg.Pool): Promise<LatestSensorReading[]> {
  const { rows } = await pool.query<ReadingRow>(
    `SELECT s.id AS sensor_id, r.observed_at, r.latitude, r.longitude, r.pm2_5, r.pm10, r.no2, r.o3, r.co, r.qc_flags
     FROM sensors s
     CROSS JOIN LATERAL (
       SELECT * FROM sensor_readings WHERE sensor_id = s.id ORDER BY observed_at DESC LIMIT 1
     ) r
     WHERE s.status = 'active'
     ORDER BY s.id`,
  );
  return rows.map((r) => ({
    sensorId: r.sensor_id,
    at: r.observed_at.toISOString(),
    latitude: r.latitude,
    longitude: r.longitude,
    measurements: measured(r),
    qcFlags: r.qc_flags,
  }));
}

/** One sensor's readings over [from, to) as columns, with each reading's failed checks. */
export interface SensorReadingSeries {
  /** Event times in Unix seconds, oldest first. */
  times: number[];
  pm2_5: number[];
  pm10: number[];
  no2: number[];
  qc_flags: string[][];
}

export async function sensorReadingSeries(
  pool: pg.Pool,
  sensorId: string,
  window: { from: string; to: string },
): Promise<SensorReadingSeries> {
  const { rows } = await pool.query<ReadingRow>(
    `SELECT observed_at, pm2_5, pm10, no2, qc_flags FROM sensor_readings
     WHERE sensor_id = $1 AND observed_at >= $2 AND observed_at < $3 ORDER BY observed_at`,
    [sensorId, window.from, window.to],
  );
  return {
    times: rows.map((r) => Math.floor(r.observed_at.getTime() / 1000)),
    pm2_5: rows.map((r) => r.pm2_5),
    pm10: rows.map((r) => r.pm10),
    no2: rows.map((r) => r.no2),
    qc_flags: rows.map((r) => r.qc_flags),
  };
}

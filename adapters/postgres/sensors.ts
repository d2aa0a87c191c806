import type pg from 'pg';

import { AppError } from '../../core/errors';
import {
  latestSightings,
  nearestLocation,
  type RegisteredSensor,
  type SensorSighting,
  type SensorStatus,
} from '../../core/sensors/registry';

const columns = `id, latitude, longitude, nearest_location_id, nearest_location_km, first_seen, last_seen, status,
  status_changed_at, status_changed_by, status_reason`;

interface SensorRow {
  id: string;
  latitude: number;
  longitude: number;
  nearest_location_id: string | null;
  nearest_location_km: number | null;
  first_seen: Date;
  last_seen: Date;
  status: SensorStatus;
  status_changed_at: Date | null;
  status_changed_by: string | null;
  status_reason: string | null;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function toSensor(row: SensorRow): RegisteredSensor {
  return {
    id: row.id,
    latitude: row.latitude,
    longitude: row.longitude,
    nearestLocationId: row.nearest_location_id,
    nearestLocationKm: row.nearest_location_km,
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    status: row.status,
    statusChangedAt: iso(row.status_changed_at),
    statusChangedBy: row.status_changed_by,
    statusReason: row.status_reason,
  };
}

/**
 * Registers sensors on first sight and keeps the others current, one statement per batch: the latest
 * position (by event time) and its nearest location win, first/last seen only widen, so replaying a batch
 * or taking it out of order leaves the same rows. Returns the ids that were new.
 */
export async function recordSightings(
  pool: pg.Pool | pg.PoolClient,
  sightings: readonly SensorSighting[],
  locations: readonly { id: string; latitude: number; longitude: number }[],
): Promise<string[]> {
  const latest = latestSightings(sightings);
  if (latest.length === 0) return [];
  const nearest = latest.map((s) => nearestLocation(locations, s));
  const { rows } = await pool.query<{ id: string; inserted: boolean }>(
    `INSERT INTO sensors AS s (id, latitude, longitude, nearest_location_id, nearest_location_km, first_seen, last_seen)
     SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::text[], $5::float8[], $6::timestamptz[],
       $7::timestamptz[])
     ON CONFLICT (id) DO UPDATE SET
       latitude = CASE WHEN EXCLUDED.last_seen >= s.last_seen THEN EXCLUDED.latitude ELSE s.latitude END,
       longitude = CASE WHEN EXCLUDED.last_seen >= s.last_seen THEN EXCLUDED.longitude ELSE s.longitude END,
       nearest_location_id = CASE WHEN EXCLUDED.last_seen >= s.last_seen
         THEN EXCLUDED.nearest_location_id ELSE s.nearest_location_id END,
       nearest_location_km = CASE WHEN EXCLUDED.last_seen >= s.last_seen
         THEN EXCLUDED.nearest_location_km ELSE s.nearest_location_km END,
       first_seen = LEAST(s.first_seen, EXCLUDED.first_seen),
       last_seen = GREATEST(s.last_seen, EXCLUDED.last_seen)
     RETURNING id, (xmax = 0) AS inserted`,
    [
      latest.map((s) => s.sensorId),
      latest.map((s) => s.latitude),
      latest.map((s) => s.longitude),
      nearest.map((n) => n?.location.id ?? null),
      nearest.map((n) => (n ? Math.round(n.km * 1000) / 1000 : null)),
      latest.map((s) => s.firstObservedAt),
      latest.map((s) => s.observedAt),
    ],
  );
  return rows.filter((r) => r.inserted).map((r) => r.id);
}

export async function listSensors(pool: pg.Pool, filter: { status?: SensorStatus } = {}): Promise<RegisteredSensor[]> {
  const { rows } = await pool.query<SensorRow>(
    `SELECT ${columns} FROM sensors WHERE ($1::text IS NULL OR status = $1) ORDER BY id`,
    [filter.status ?? null],
  );
  return rows.map(toSensor);
}

/** One sensor; an unknown id is a 404 naming it. */
export async function findSensor(pool: pg.Pool, id: string): Promise<RegisteredSensor> {
  const { rows } = await pool.query<SensorRow>(`SELECT ${columns} FROM sensors WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row)
    throw new AppError('UNKNOWN_SENSOR', `no sensor "${id}" has been seen (airq sensors list)`, { httpStatus: 404 });
  return toSensor(row);
}

/**
 * Takes a sensor out of service (or back into it), recording who, when and why. Setting the status it
 * already has changes nothing and returns the sensor as it is, so a repeated request is harmless.
 */
export async function setSensorStatus(
  pool: pg.Pool,
  id: string,
  change: { status: SensorStatus; actor: string; reason?: string },
): Promise<RegisteredSensor> {
  const { rows } = await pool.query<SensorRow>(
    `UPDATE sensors SET status = $2, status_changed_at = now(), status_changed_by = $3, status_reason = $4
     WHERE id = $1 AND status <> $2
     RETURNING ${columns}`,
    [id, change.status, change.actor, change.reason ?? null],
  );
  const row = rows[0];
  return row ? toSensor(row) : findSensor(pool, id);
}

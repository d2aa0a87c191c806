import type pg from 'pg';

import { AppError } from '../../core/errors';
import { placeTooClose, samePlaceKm, type Location, type NewLocation } from '../../core/locations/location';

export type { Location } from '../../core/locations/location';

/** A location with what is stored for it, for `airq locations list` and `GET /locations`. */
export interface LocationSummary extends Location {
  readings: number;
  firstHour: string | null;
  lastHour: string | null;
}

const columns = 'id, name, latitude, longitude';
// Serializes additions and removals, so two concurrent adds of nearby places cannot both pass the check.
const changeLock = 0x6c6f6361; // "loca"

/** The requested locations, in the order asked; an unknown id is an error naming it. */
export async function findLocations(pool: pg.Pool, ids: readonly string[]): Promise<Location[]> {
  const { rows } = await pool.query<Location>(`SELECT ${columns} FROM locations WHERE id = ANY($1::text[])`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new AppError(
      'UNKNOWN_LOCATION',
      `unknown location(s): ${unknown.join(', ')} (add one with: airq locations add <id> --name … --lat … --lon …)`,
      { httpStatus: 400 },
    );
  }
  return ids.map((id) => byId.get(id) as Location);
}

export async function listLocations(pool: pg.Pool): Promise<Location[]> {
  return (await pool.query<Location>(`SELECT ${columns} FROM locations ORDER BY id`)).rows;
}

export async function listLocationSummaries(pool: pg.Pool): Promise<LocationSummary[]> {
  const { rows } = await pool.query<Location & { readings: string; first_hour: Date | null; last_hour: Date | null }>(
    `SELECT l.id, l.name, l.latitude, l.longitude, l.created_at,
            count(r.observed_at) AS readings, min(r.observed_at) AS first_hour, max(r.observed_at) AS last_hour
       FROM locations l LEFT JOIN readings r ON r.location_id = l.id
      GROUP BY l.id ORDER BY l.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    latitude: r.latitude,
    longitude: r.longitude,
    readings: Number(r.readings),
    firstHour: r.first_hour?.toISOString() ?? null,
    lastHour: r.last_hour?.toISOString() ?? null,
  }));
}

async function inChangeTransaction<T>(pool: pg.Pool, work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    await db.query('SELECT pg_advisory_xact_lock($1)', [changeLock]);
    const result = await work(db);
    await db.query('COMMIT');
    return result;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    db.release();
  }
}

/**
 * Registers a place. Refused with 409 when the id exists, or when a registered place lies within
 * `samePlaceKm` (named in the message) unless `force`; audited in `location_changes`.
 */
export async function addLocation(
  pool: pg.Pool,
  location: NewLocation,
  options: { actor: string; force?: boolean },
): Promise<Location> {
  return inChangeTransaction(pool, async (db) => {
    const existing = (await db.query<Location>(`SELECT ${columns} FROM locations`)).rows;
    const same = existing.find((l) => l.id === location.id);
    if (same) {
      throw new AppError('LOCATION_EXISTS', `location "${location.id}" already exists (${same.name})`, {
        httpStatus: 409,
        details: { location: same },
      });
    }
    const near = placeTooClose(existing, location);
    if (near && !options.force) {
      throw new AppError(
        'LOCATION_TOO_CLOSE',
        `"${location.id}" is ${near.km.toFixed(2)} km from "${near.location.id}" (${near.location.name}), ` +
          `closer than ${samePlaceKm} km: probably the same place; add it anyway with force (--force)`,
        { httpStatus: 409, details: { near: near.location, km: near.km } },
      );
    }
    await db.query('INSERT INTO locations (id, name, latitude, longitude) VALUES ($1, $2, $3, $4)', [
      location.id,
      location.name,
      location.latitude,
      location.longitude,
    ]);
    await audit(db, location.id, 'added', options.actor, {
      ...location,
      ...(near ? { forcedNear: { id: near.location.id, km: near.km } } : {}),
    });
    return location;
  });
}

export interface RemovedLocation {
  location: Location;
  readingsDeleted: number;
}

/**
 * Unregisters a place. One that has readings is refused (409, with the count) unless `purge`, which deletes
 * its readings (their indices follow by cascade) and records the count in `location_changes`.
 */
export async function removeLocation(
  pool: pg.Pool,
  id: string,
  options: { actor: string; purge?: boolean },
): Promise<RemovedLocation> {
  return inChangeTransaction(pool, async (db) => {
    const [location] = (await db.query<Location>(`SELECT ${columns} FROM locations WHERE id = $1`, [id])).rows;
    if (!location) throw new AppError('LOCATION_NOT_FOUND', `no location "${id}"`, { httpStatus: 404 });
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM readings WHERE location_id = $1', [id]);
    const readings = Number(rows[0]?.n ?? 0);
    if (readings > 0 && !options.purge) {
      throw new AppError(
        'LOCATION_HAS_READINGS',
        `location "${id}" has ${readings} stored readings; remove it with purge (--purge) to delete them too`,
        { httpStatus: 409, details: { readings } },
      );
    }
    const deleted =
      readings > 0 ? ((await db.query('DELETE FROM readings WHERE location_id = $1', [id])).rowCount ?? 0) : 0;
    await db.query('DELETE FROM locations WHERE id = $1', [id]);
    await audit(db, id, deleted > 0 ? 'purged' : 'removed', options.actor, { ...location, readingsDeleted: deleted });
    return { location, readingsDeleted: deleted };
  });
}

async function audit(
  db: pg.PoolClient,
  locationId: string,
  change: 'added' | 'removed' | 'purged',
  actor: string,
  details: Record<string, unknown>,
): Promise<void> {
  await db.query('INSERT INTO location_changes (location_id, change, actor, details) VALUES ($1, $2, $3, $4)', [
    locationId,
    change,
    actor,
    JSON.stringify(details),
  ]);
}

export interface LocationChange {
  locationId: string;
  change: 'added' | 'removed' | 'purged';
  actor: string;
  details: Record<string, unknown>;
  changedAt: string;
}

export async function listLocationChanges(pool: pg.Pool, locationId?: string): Promise<LocationChange[]> {
  const { rows } = await pool.query<{
    location_id: string;
    change: LocationChange['change'];
    actor: string;
    details: Record<string, unknown>;
    changed_at: Date;
  }>(
    `SELECT location_id, change, actor, details, changed_at FROM location_changes
      WHERE $1::text IS NULL OR location_id = $1 ORDER BY id`,
    [locationId ?? null],
  );
  return rows.map((r) => ({
    locationId: r.location_id,
    change: r.change,
    actor: r.actor,
    details: r.details,
    changedAt: r.changed_at.toISOString(),
  }));
}

import type pg from 'pg';

import { AppError } from '../../core/errors';

export interface Location {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
}

/** The requested locations, in the order asked; an unknown id is an error naming it. */
export async function findLocations(pool: pg.Pool, ids: readonly string[]): Promise<Location[]> {
  const { rows } = await pool.query<Location>(
    'SELECT id, name, latitude, longitude FROM locations WHERE id = ANY($1::text[])',
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new AppError('UNKNOWN_LOCATION', `unknown location(s): ${unknown.join(', ')}`, { httpStatus: 400 });
  }
  return ids.map((id) => byId.get(id) as Location);
}

export async function listLocations(pool: pg.Pool): Promise<Location[]> {
  return (await pool.query<Location>('SELECT id, name, latitude, longitude FROM locations ORDER BY id')).rows;
}

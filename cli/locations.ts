import type pg from 'pg';

import { addLocation, listLocations, listLocationSummaries, removeLocation } from '../adapters/postgres/locations';
import { createPool } from '../adapters/postgres/pool';
import type { Config } from '../config';
import { AppError } from '../core/errors';
import { newLocation } from '../core/locations/location';

type Values = Record<string, string | boolean | undefined>;

/** Who a change made from this terminal is recorded as: `--actor`, else `cli:<login>`. */
export function cliActor(values: Values): string {
  return typeof values.actor === 'string' && values.actor !== ''
    ? values.actor
    : `cli:${process.env.USER ?? 'unknown'}`;
}

export async function withPool<T>(config: Config, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool(config, { max: 2, applicationName: 'aqi-cli' });
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/** `--locations a,b` as given, else every registered location (the database is the list, not the code). */
export async function locationIdsOf(config: Config, values: Values): Promise<string[]> {
  if (typeof values.locations === 'string')
    return values.locations
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const ids = (await withPool(config, listLocations)).map((l) => l.id);
  if (ids.length === 0) throw new AppError('NO_LOCATIONS', 'no location is registered: airq locations add <id> …');
  return ids;
}

const flagOf: Record<string, string> = { id: '<id>', name: '--name', latitude: '--lat', longitude: '--lon' };

function parseNewLocation(id: string | undefined, values: Values) {
  const number = (v: string | boolean | undefined) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v);
  const parsed = newLocation.safeParse({
    id,
    name: values.name,
    latitude: number(values.lat),
    longitude: number(values.lon),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${flagOf[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`);
    throw new AppError('INVALID_LOCATION', `cannot add the location: ${problems.join('; ')}`, { httpStatus: 400 });
  }
  return parsed.data;
}

const hour = (iso: string | null) => (iso === null ? '-' : iso.slice(0, 13).replace('T', ' ') + 'h');

/** `airq locations list|add|remove`: the registered places, kept in PostgreSQL. */
export async function locationsCommand(config: Config, values: Values, args: string[]): Promise<number> {
  const [action, id] = args;
  const json = values.json === true;
  return withPool(config, async (pool) => {
    if (action === 'list' || action === undefined) {
      const rows = await listLocationSummaries(pool);
      if (json) {
        console.log(JSON.stringify(rows, null, 2));
        return 0;
      }
      for (const l of rows) {
        console.log(
          `${l.id.padEnd(16)} ${l.name.padEnd(20)} ${l.latitude.toFixed(4).padStart(9)} ${l.longitude.toFixed(4).padStart(10)}  ` +
            `${String(l.readings).padStart(6)} readings  ${hour(l.firstHour)} .. ${hour(l.lastHour)}`,
        );
      }
      if (rows.length === 0)
        console.log('no location registered yet: airq locations add <id> --name … --lat … --lon …');
      return 0;
    }
    if (action === 'add') {
      const location = parseNewLocation(id, values);
      const added = await addLocation(pool, location, { actor: cliActor(values), force: values.force === true });
      console.log(
        json ? JSON.stringify(added) : `added ${added.id} (${added.name}) at ${added.latitude}, ${added.longitude}`,
      );
      return 0;
    }
    if (action === 'remove') {
      if (!id)
        throw new AppError('INVALID_LOCATION', 'usage: airq locations remove <id> [--purge]', { httpStatus: 400 });
      const removed = await removeLocation(pool, id, { actor: cliActor(values), purge: values.purge === true });
      console.log(
        json
          ? JSON.stringify(removed)
          : `removed ${removed.location.id}${removed.readingsDeleted > 0 ? ` and its ${removed.readingsDeleted} readings (recorded in location_changes)` : ''}`,
      );
      return 0;
    }
    throw new AppError('INVALID_COMMAND', `unknown locations action "${action}": list, add or remove`, {
      httpStatus: 400,
    });
  });
}

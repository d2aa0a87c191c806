import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';

import { addLocation, listLocationSummaries, removeLocation } from '../../adapters/postgres/locations';
import type { ApiKey } from '../../config';
import { locationId } from '../../core/air-quality/messages';
import { newLocation } from '../../core/locations/location';
import { requirePermission } from '../middleware/api-key';

import { invalidBody, requireJson } from './predict';

export const addLocationBody = newLocation.extend({
  force: z.boolean().optional().describe('add it even within 1 km of a registered place'),
});
export const removeLocationQuery = z.strictObject({
  purge: z.enum(['true', 'false']).optional().describe('also delete its stored readings (audited)'),
});

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

/**
 * The places the platform knows, as data: list them with what is stored, add one (409 when the id exists
 * or a place within 1 km does, unless forced), remove one (409 with the count when it has readings, unless
 * purged). Changes need a key with `locations` and are recorded under the key's name.
 */
export function locationRoutes(deps: { pool: pg.Pool; keys: readonly ApiKey[] }): Router {
  const router = Router();
  const canChange = requirePermission(deps.keys, 'locations');

  router.get('/locations', async (_req, res) => {
    res.json({ locations: await listLocationSummaries(deps.pool) });
  });
  router.post('/locations', canChange, requireJson, async (req, res) => {
    const { force, ...location } = parse(addLocationBody, req.body);
    const added = await addLocation(deps.pool, location, { actor: String(res.locals.caller), force: force ?? false });
    res.status(201).location(`/locations/${added.id}`).json({ location: added });
  });
  router.delete('/locations/:id', canChange, async (req, res) => {
    const id = parse(locationId, req.params.id);
    const { purge } = parse(removeLocationQuery, req.query);
    const removed = await removeLocation(deps.pool, id, { actor: String(res.locals.caller), purge: purge === 'true' });
    res.json({ removed: removed.location, readingsDeleted: removed.readingsDeleted });
  });
  return router;
}

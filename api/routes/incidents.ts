import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';

import { findIncident, listIncidents } from '../../adapters/postgres/incidents';
import { workflowUrl } from '../../adapters/temporal/client';
import { actOnIncident } from '../../adapters/temporal/incidents';
import type { ApiKey, Config } from '../../config';
import { textOfAtMost } from '../../core/validation';
import { requirePermission } from '../middleware/api-key';

import { invalidBody, requireJson } from './predict';

export const incidentListQuery = z.strictObject({
  state: z.enum(['open', 'all']).optional().describe('open (default): not closed; all: every incident'),
});
/** An incident id is the anomaly id it was opened for: 32 hex digits. */
export const incidentId = z.string().regex(/^[0-9a-f]{32}$/, 'an incident id: 32 lower-case hex digits');
export const incidentActionBody = z.strictObject({ comment: textOfAtMost(4000).optional() });

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

/**
 * Sensor incidents: list and show them as stored, and acknowledge or resolve one through its workflow's
 * update, recorded under the key's name (a key with `incidents`): 200 with the incident as it stands, 409
 * with the workflow's reason when refused, 404 for an unknown one.
 */
export function incidentRoutes(deps: {
  pool: pg.Pool;
  keys: readonly ApiKey[];
  config: Config;
  temporal: () => Promise<Client>;
}): Router {
  const router = Router();
  router.get('/incidents', async (req, res) => {
    const { state } = parse(incidentListQuery, req.query);
    const incidents = await listIncidents(deps.pool, state === 'all' ? {} : { open: true });
    res.json({ incidents: incidents.map((i) => ({ ...i, url: workflowUrl(deps.config, i.workflowId) })) });
  });
  router.get('/incidents/:id', async (req, res) => {
    const incident = await findIncident(deps.pool, parse(incidentId, req.params.id));
    res.json({ incident: { ...incident, url: workflowUrl(deps.config, incident.workflowId) } });
  });
  for (const kind of ['acknowledge', 'resolve'] as const) {
    router.post(`/incidents/:id/${kind}`, requirePermission(deps.keys, 'incidents'), requireJson, async (req, res) => {
      const id = parse(incidentId, req.params.id);
      const { comment } = parse(incidentActionBody, req.body);
      const by = String(res.locals.caller);
      const action = { by, ...(comment ? { comment } : {}) };
      const taken = await actOnIncident(await deps.temporal(), id, kind, action, deps.config.temporal.updateWaitMs);
      res.json({ id, ...taken });
    });
  }
  return router;
}

import { z } from 'zod';

import { incidentActionBody, incidentId, incidentListQuery } from '../routes/incidents';

import { error, forbidden, invalid, unauthenticated } from './errors';
import { answer, json, parameters, secured } from './schema';

const storedIncident = z.looseObject({
  id: z.string(),
  sensorId: z.string(),
  anomalyType: z.string(),
  state: z.enum(['open', 'acknowledged', 'closed']),
  escalationLevel: z.number().int().min(0),
  url: z.string(),
});

/** An operator's action on an incident, taken by its workflow's update of the same name. */
const incidentAction = (kind: 'acknowledge' | 'resolve') => ({
  post: {
    summary: `${kind === 'acknowledge' ? 'Acknowledge' : 'Resolve'} an incident as the key’s name (the ${kind}Incident update)`,
    security: secured,
    parameters: parameters(z.object({ id: incidentId }), 'path'),
    requestBody: { required: true, ...json(incidentActionBody) },
    responses: {
      '200': answer('taken: the incident as it stands after', z.looseObject({ id: z.string(), state: z.string() })),
      '400': invalid,
      '401': unauthenticated,
      '403': forbidden,
      '404': error('no incident with this id: `UNKNOWN_INCIDENT`'),
      '409': error(
        'refused by the workflow (already acknowledged, closed): `INCIDENT_ACTION_REFUSED`, the reason in error.message',
      ),
      '503': error(
        'no worker answered within TEMPORAL_UPDATE_WAIT_SECONDS: `NO_WORKER_ANSWER` (not confirmed; check the incident before repeating)',
      ),
    },
  },
});

/** Sensor incidents: the list, one incident with its steps, and the operator's acknowledge and resolve. */
export const incidentPaths = () => ({
  '/incidents': {
    get: {
      summary: 'Sensor incidents (open by default), newest first, with their Web UI links',
      parameters: parameters(incidentListQuery, 'query'),
      responses: {
        '200': answer('{incidents}', z.looseObject({ incidents: z.array(storedIncident) })),
        '400': invalid,
      },
    },
  },
  '/incidents/{id}': {
    get: {
      summary: 'One incident with every step (opened, notified, escalated, acknowledged, resolved, closed)',
      parameters: parameters(z.object({ id: incidentId }), 'path'),
      responses: {
        '200': answer(
          '{incident}',
          z.looseObject({
            incident: storedIncident.extend({
              steps: z.array(z.looseObject({ seq: z.number(), event: z.string() })),
            }),
          }),
        ),
        '400': invalid,
        '404': error('no incident with this id: `UNKNOWN_INCIDENT`'),
      },
    },
  },
  '/incidents/{id}/acknowledge': incidentAction('acknowledge'),
  '/incidents/{id}/resolve': incidentAction('resolve'),
});

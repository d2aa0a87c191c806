import { z } from 'zod';

import { textOfAtMost } from '../validation';

/**
 * The human side of a sensor fault, shared by the `sensorIncident` workflow, the API and the CLI: who may
 * acknowledge or resolve an incident and when. Workflow code imports this file: keep it free of Node APIs.
 */

export const incidentStates = ['open', 'acknowledged', 'closed'] as const;
export type IncidentState = (typeof incidentStates)[number];

/** Why an incident closed: a person resolved it, or the detector saw the sensor recover. */
export type IncidentClosure = 'resolved' | 'recovered';

/** What a person sends to acknowledge or resolve an incident. */
export const incidentAction = z.strictObject({
  by: z.string().trim().min(1, 'by must name a person').max(200),
  comment: textOfAtMost(4000).optional(),
});
export type IncidentAction = z.infer<typeof incidentAction>;

export type IncidentActionKind = 'acknowledge' | 'resolve';

/** Where an incident stands when a person acts on it. */
export interface IncidentPoint {
  state: IncidentState;
  acknowledgedBy?: string;
  closure?: { reason: IncidentClosure; by?: string };
}

export type AdmittedAction = { ok: true; action: IncidentAction } | { ok: false; reason: string };

/**
 * The one rule set, applied by the update validators (a refusal answers the caller at once) and the signal
 * handlers (a refusal is kept in the incident's status): a valid payload; acknowledge only an open
 * incident; resolve one that is not closed (resolving an unacknowledged incident acknowledges it too).
 */
export function admitIncidentAction(kind: IncidentActionKind, payload: unknown, at: IncidentPoint): AdmittedAction {
  const parsed = incidentAction.safeParse(payload);
  if (!parsed.success) {
    return {
      ok: false,
      reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; '),
    };
  }
  const { by } = parsed.data;
  if (at.state === 'closed') {
    const closedBy = at.closure?.by ? ` by ${at.closure.by}` : '';
    return {
      ok: false,
      reason: `${kind} from ${by} refused: the incident is closed (${at.closure?.reason}${closedBy})`,
    };
  }
  if (kind === 'acknowledge' && at.state === 'acknowledged') {
    return { ok: false, reason: `acknowledge from ${by} refused: already acknowledged by ${at.acknowledgedBy}` };
  }
  return { ok: true, action: parsed.data };
}

/** The workflow id of the incident of one fault: one fault (one anomaly id) never opens two incidents. */
export const sensorIncidentWorkflowId = (anomalyId: string): string => `sensor-incident-${anomalyId}`;

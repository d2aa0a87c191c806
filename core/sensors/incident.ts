import { z } from 'zod';

import { textOfAtMost } from '../validation';

import type { AnomalyType, SensorAnomaly } from './anomaly';

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

/** What a `sensorIncident` workflow starts from: the fault and what people need to see of it. */
export interface SensorIncidentInput {
  /** The anomaly id of the fault (core/sensors/anomaly.ts): the incident's id. */
  anomalyId: string;
  sensorId: string;
  anomalyType: string;
  measurement?: string;
  severity: string;
  /** Event time the fault started. */
  faultStartedAt: string;
  /** One line for people: what the detector saw. */
  summary: string;
  /** How long an unacknowledged incident waits before escalating, e.g. "30m" (default) or "10s" in tests. */
  escalateAfter?: string;
  /** How many escalations at most (default 3); after that it waits without escalating again. */
  maxEscalations?: number;
}

/**
 * Faults that last and need a person: each opens a `sensorIncident` (the detector's flatline, dropout,
 * repeated out-of-range values and frequent spikes, the daily rollup's drift); a spike, a single bad value
 * or a passing disagreement with neighbours does not.
 */
export const incidentAnomalyTypes: readonly AnomalyType[] = [
  'flatline',
  'dropout',
  'repeated_out_of_range',
  'frequent_spikes',
  'drift',
];

/** The incident workflow's input for an anomaly: what a person needs to see in the Web UI and the alert. */
export function incidentInput(anomaly: SensorAnomaly, escalateAfter: string): SensorIncidentInput {
  const measurement = anomaly.measurement ? ` of ${anomaly.measurement}` : '';
  return {
    anomalyId: anomaly.id,
    sensorId: anomaly.sensor_id,
    anomalyType: anomaly.type,
    ...(anomaly.measurement ? { measurement: anomaly.measurement } : {}),
    severity: anomaly.severity,
    faultStartedAt: anomaly.window.start,
    summary: `${anomaly.type}${measurement} since ${anomaly.window.start} (score ${anomaly.score.toFixed(2)})`,
    escalateAfter,
  };
}

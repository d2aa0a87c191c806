import { cutTo, type AlertInput, type AlertKind, type AlertSeverity } from '../core/alerts/alert';

import { deliverAlert, type AlertDeps, type AlertOutcome } from './alerts';
import type { IncidentRecord, IncidentStep, IncidentsRepository } from './repositories';

/** What a notification says: the incident, the step that calls for a person, and how urgent it is. */
export interface IncidentNotice {
  incident: IncidentRecord;
  event: 'opened' | 'escalated' | 'closed';
  escalationLevel: number;
  text: string;
}

export interface IncidentActivityDeps extends AlertDeps {
  incidents: IncidentsRepository;
}

const kinds: Record<IncidentNotice['event'], AlertKind> = {
  opened: 'incident_opened',
  escalated: 'incident_escalated',
  closed: 'incident_closed',
};

/** The alert for one step of an incident; its key is the incident, the step and the escalation level. */
export function incidentAlert(
  notice: IncidentNotice,
  workflowLink: (workflowId: string) => string,
  at: string,
): AlertInput {
  const { incident, event, escalationLevel } = notice;
  const severity: AlertSeverity =
    event === 'closed' ? 'info' : event === 'escalated' || incident.severity === 'critical' ? 'critical' : 'warning';
  const what = `${incident.anomalyType}${incident.measurement ? ` (${incident.measurement})` : ''}`;
  return {
    key: `incident:${incident.id}:${event}:${escalationLevel}`,
    kind: kinds[event],
    severity,
    title: cutTo(
      `Sensor ${incident.sensorId}: ${what} incident ${event}${event === 'escalated' ? ` (level ${escalationLevel})` : ''}`,
      200,
    ),
    text: cutTo(notice.text, 3000),
    links: [{ label: 'Incident in the Temporal Web UI', url: workflowLink(incident.workflowId) }],
    facts: {
      sensor: incident.sensorId,
      fault: what,
      'fault started': incident.faultStartedAt,
      incident: incident.id,
    },
    at,
  };
}

export function createIncidentActivities(deps: IncidentActivityDeps) {
  return {
    /** One step of the incident, stored once per seq with the state it left (GET /incidents reads it). */
    async recordIncidentStep(input: { incident: IncidentRecord; step: IncidentStep }): Promise<void> {
      await deps.incidents.recordStep(input.incident, input.step);
    },

    /**
     * Tells people through the platform's alerts (the worker's log and every ALERT_WEBHOOKS target, once per
     * incident step and level). Returns the channels reached, which the workflow records as the `notified`
     * step; a target given up after the last attempt is recorded in `alert_deliveries`.
     */
    async notifyIncident(notice: IncidentNotice): Promise<{ channels: string[] } & Partial<AlertOutcome>> {
      return deliverAlert(deps, incidentAlert(notice, deps.workflowLink, new Date().toISOString()));
    },
  };
}

export type IncidentActivities = ReturnType<typeof createIncidentActivities>;

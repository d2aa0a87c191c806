import { Context } from '@temporalio/activity';

import type { IncidentRecord, IncidentStep, IncidentsRepository } from './repositories';

/** What a notification says: the incident, the step that calls for a person, and how urgent it is. */
export interface IncidentNotice {
  incident: IncidentRecord;
  event: 'opened' | 'escalated' | 'closed';
  escalationLevel: number;
  text: string;
}

export function createIncidentActivities({ incidents }: { incidents: IncidentsRepository }) {
  return {
    /** One step of the incident, stored once per seq with the state it left (GET /incidents reads it). */
    async recordIncidentStep(input: { incident: IncidentRecord; step: IncidentStep }): Promise<void> {
      await incidents.recordStep(input.incident, input.step);
    },

    /**
     * Tells people: for now a structured warning in the worker's log (channel `log`), which the alert
     * targets of the platform's notify step will carry to webhooks. Returns the channels it reached, which
     * the workflow records as the `notified` step.
     */
    async notifyIncident(notice: IncidentNotice): Promise<{ channels: string[] }> {
      Context.current().log.warn(notice.text, {
        incidentId: notice.incident.id,
        sensorId: notice.incident.sensorId,
        anomalyType: notice.incident.anomalyType,
        event: notice.event,
        escalationLevel: notice.escalationLevel,
      });
      return { channels: ['log'] };
    },
  };
}

export type IncidentActivities = ReturnType<typeof createIncidentActivities>;

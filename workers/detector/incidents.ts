import { WorkflowNotFoundError, type Client } from '@temporalio/client';

import { startOrJoin } from '../../adapters/temporal/start-or-join';
import type { Config } from '../../config';
import {
  incidentAnomalyTypes,
  incidentInput,
  sensorIncidentWorkflowId,
  type SensorIncidentInput,
} from '../../core/sensors/incident';
import { faultRecoveredSignal, sensorIncident } from '../../workflows/sensor-incident';

export { incidentAnomalyTypes, incidentInput };

export const incidentTargets = { open: 'incident:open', recovered: 'incident:recovered' } as const;

/**
 * Carries outbox entries to Temporal: start (or join: the id comes from the anomaly) the incident of a
 * fault, or tell it the sensor recovered. An incident that does not exist or has closed needs no signal.
 */
export async function deliverIncident(client: Client, config: Config, target: string, payload: string): Promise<void> {
  if (target === incidentTargets.open) {
    const input = JSON.parse(payload) as SensorIncidentInput;
    await startOrJoin(client, config, sensorIncident, sensorIncidentWorkflowId(input.anomalyId), input);
    return;
  }
  const { anomalyId, at } = JSON.parse(payload) as { anomalyId: string; at: string };
  try {
    await client.workflow.getHandle(sensorIncidentWorkflowId(anomalyId)).signal(faultRecoveredSignal, { at });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
}

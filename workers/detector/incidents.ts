import { WorkflowNotFoundError, type Client } from '@temporalio/client';

import { startOrJoin } from '../../adapters/temporal/start-or-join';
import type { Config } from '../../config';
import type { SensorAnomaly } from '../../core/sensors/anomaly';
import { sensorIncidentWorkflowId } from '../../core/sensors/incident';
import { faultRecoveredSignal, sensorIncident, type SensorIncidentInput } from '../../workflows/sensor-incident';

/** Faults that last and need a person: each opens a `sensorIncident`; a spike or a single bad value does not. */
export const incidentAnomalyTypes: readonly SensorAnomaly['type'][] = ['flatline', 'dropout', 'drift'];

export const incidentTargets = { open: 'incident:open', recovered: 'incident:recovered' } as const;

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

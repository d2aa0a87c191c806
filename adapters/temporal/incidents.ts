import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';

import { AppError, describeError } from '../../core/errors';
import { sensorIncidentWorkflowId, type IncidentAction, type IncidentActionKind } from '../../core/sensors/incident';
import {
  acknowledgeIncidentUpdate,
  resolveIncidentUpdate,
  type IncidentActionTaken,
  type sensorIncident,
} from '../../workflows/sensor-incident';

import { answeredWithin, defaultUpdateWaitMs } from './update-wait';

/**
 * Acknowledges or resolves a sensor incident through its update: the workflow's validator answers at once
 * (taken, with the incident as it stands after; or refused with the reason: 409). An incident that has
 * closed takes no update: 409 naming how it closed; an unknown incident id: 404; no worker answering within
 * `waitMs`: 503. `incidentId` is the
 * anomaly id the incident was opened for.
 */
export async function actOnIncident(
  client: Client,
  incidentId: string,
  kind: IncidentActionKind,
  action: IncidentAction,
  waitMs = defaultUpdateWaitMs,
): Promise<IncidentActionTaken> {
  const handle = client.workflow.getHandle<typeof sensorIncident>(sensorIncidentWorkflowId(incidentId));
  const update = kind === 'acknowledge' ? acknowledgeIncidentUpdate : resolveIncidentUpdate;
  try {
    return await answeredWithin(client, waitMs, `the ${kind} of incident ${incidentId}`, () =>
      handle.executeUpdate(update, { args: [action] }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refused(describeError(err.cause ?? err), err);
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const closed = await handle.describe().catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) {
      throw new AppError('UNKNOWN_INCIDENT', `no incident "${incidentId}"`, { httpStatus: 404 });
    }
    throw err;
  });
  const result = await handle.result().catch(() => undefined);
  const how = result?.closed ? ` (${result.closed.reason}${result.closed.by ? ` by ${result.closed.by}` : ''})` : '';
  throw refused(`${kind} from ${action.by} refused: the incident is ${closed.status.name.toLowerCase()}${how}`);
}

function refused(reason: string, cause?: unknown): AppError {
  return new AppError('INCIDENT_ACTION_REFUSED', reason, { httpStatus: 409, cause });
}

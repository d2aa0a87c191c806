/**
 * sensorIncident: one sustained sensor fault, from detection until it is over, with people in the loop.
 *   1. Open: record the incident (table `sensor_incidents`) and notify.
 *   2. Wait for a person: `acknowledgeIncident` / `resolveIncident` (updates that answer accepted or refused
 *      at once, and signals of the same names for the Web UI), or `faultRecovered` from the detector.
 *      Nobody acknowledging within `escalateAfter` escalates (recorded, notified again), up to
 *      `maxEscalations` times.
 *   3. Close when a person resolves it or the detector reports the sensor recovered.
 * Every step is recorded in order (`sensor_incident_events`); the id comes from the fault's anomaly id, so
 * one fault never opens two incidents. `PipelineStage` (open, acknowledged, closed) with `AqiSensor` and
 * `AqiAnomalyType` make incidents listable in the Web UI.
 */
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { IncidentActivities, IncidentNotice } from '../activities/incidents';
import type { IncidentEvent, IncidentRecord, IncidentStep } from '../activities/repositories';
import {
  admitIncidentAction,
  type IncidentAction,
  type IncidentActionKind,
  type IncidentState,
  type SensorIncidentInput,
} from '../core/sensors/incident';
import { durationMs } from '../core/training/promotion';
import { searchAttributes } from '../temporal/search-attributes';

export type { SensorIncidentInput };

export interface IncidentStatus {
  state: IncidentState;
  escalationLevel: number;
  acknowledged?: { at: string; by: string; comment?: string };
  closed?: { at: string; reason: 'resolved' | 'recovered'; by?: string; comment?: string };
  recoveredAt?: string;
  /** Signals refused by the rules (core/sensors/incident.ts), with why. */
  refused: { receivedAt: string; reason: string }[];
}

export type SensorIncidentResult = IncidentStatus;

/** What an accepted acknowledge or resolve answers: the incident as it stands after it. */
export type IncidentActionTaken = Pick<IncidentStatus, 'state' | 'acknowledged' | 'closed' | 'escalationLevel'>;

export const acknowledgeIncidentUpdate = defineUpdate<IncidentActionTaken, [IncidentAction]>('acknowledgeIncident');
export const resolveIncidentUpdate = defineUpdate<IncidentActionTaken, [IncidentAction]>('resolveIncident');
export const acknowledgeIncidentSignal = defineSignal<[unknown]>('acknowledgeIncident');
export const resolveIncidentSignal = defineSignal<[unknown]>('resolveIncident');
/** From the detector: the faulty condition ended at this event time. */
export const faultRecoveredSignal = defineSignal<[{ at: string }]>('faultRecovered');
export const incidentStatusQuery = defineQuery<IncidentStatus>('incidentStatus');

const { recordIncidentStep, notifyIncident } = proxyActivities<IncidentActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A step taken by a handler, recorded by the main path in arrival order. */
interface Pending {
  event: IncidentEvent;
  at: string;
  actor?: string;
  comment?: string;
}

export async function sensorIncident(input: SensorIncidentInput): Promise<SensorIncidentResult> {
  const escalateAfterMs = durationMs(input.escalateAfter ?? '30m');
  const maxEscalations = input.maxEscalations ?? 3;
  const incident: IncidentRecord = {
    id: input.anomalyId,
    workflowId: workflowInfo().workflowId,
    sensorId: input.sensorId,
    anomalyType: input.anomalyType,
    ...(input.measurement ? { measurement: input.measurement } : {}),
    severity: input.severity,
    summary: input.summary,
    faultStartedAt: input.faultStartedAt,
  };
  const status: IncidentStatus = { state: 'open', escalationLevel: 0, refused: [] };
  const pending: Pending[] = [];
  const now = () => new Date().toISOString();

  const point = () => ({
    state: status.state,
    ...(status.acknowledged ? { acknowledgedBy: status.acknowledged.by } : {}),
    ...(status.closed
      ? { closure: { reason: status.closed.reason, ...(status.closed.by ? { by: status.closed.by } : {}) } }
      : {}),
  });
  /** Applies an admitted action to the status at once (the next message sees it), queueing its record. */
  const take = (kind: IncidentActionKind, action: IncidentAction): IncidentActionTaken => {
    const at = now();
    const note = { at, by: action.by, ...(action.comment ? { comment: action.comment } : {}) };
    if (kind === 'acknowledge' || !status.acknowledged) status.acknowledged = note;
    if (kind === 'acknowledge') {
      status.state = 'acknowledged';
      pending.push({
        event: 'acknowledged',
        at,
        actor: action.by,
        ...(action.comment ? { comment: action.comment } : {}),
      });
    } else {
      status.state = 'closed';
      status.closed = { reason: 'resolved', ...note };
      pending.push({ event: 'resolved', at, actor: action.by, ...(action.comment ? { comment: action.comment } : {}) });
    }
    return { state: status.state, escalationLevel: status.escalationLevel, ...pick(status) };
  };
  const refuse = (reason: string) => {
    status.refused.push({ receivedAt: now(), reason });
    if (status.refused.length > 20) status.refused.shift();
  };

  setHandler(incidentStatusQuery, () => status);
  for (const [kind, update, signal] of [
    ['acknowledge', acknowledgeIncidentUpdate, acknowledgeIncidentSignal],
    ['resolve', resolveIncidentUpdate, resolveIncidentSignal],
  ] as const) {
    setHandler(
      update,
      (action) => {
        const admitted = admitIncidentAction(kind, action, point());
        if (!admitted.ok) throw ApplicationFailure.nonRetryable(admitted.reason, 'IncidentActionRefused');
        return take(kind, admitted.action);
      },
      {
        // Reads state, never changes it: a refusal answers the caller at once and leaves no trace in history.
        validator: (action) => {
          const admitted = admitIncidentAction(kind, action, point());
          if (!admitted.ok) throw ApplicationFailure.nonRetryable(admitted.reason, 'IncidentActionRefused');
        },
      },
    );
    setHandler(signal, (payload: unknown) => {
      const admitted = admitIncidentAction(kind, payload, point());
      if (admitted.ok) take(kind, admitted.action);
      else refuse(admitted.reason);
    });
  }
  setHandler(faultRecoveredSignal, ({ at }) => {
    if (status.state === 'closed') return;
    status.recoveredAt = at;
    status.state = 'closed';
    status.closed = { at: now(), reason: 'recovered' };
    pending.push({ event: 'recovered', at: now(), comment: `the detector saw the sensor recover at ${at}` });
  });

  let seq = 0;
  const record = async (step: Omit<IncidentStep, 'seq' | 'after'>) => {
    const after: IncidentStep['after'] = {
      state: status.state,
      escalationLevel: status.escalationLevel,
      ...(status.acknowledged ? { acknowledged: { at: status.acknowledged.at, by: status.acknowledged.by } } : {}),
      ...(status.closed
        ? {
            closed: {
              at: status.closed.at,
              reason: status.closed.reason,
              ...(status.closed.by ? { by: status.closed.by } : {}),
            },
          }
        : {}),
    };
    await recordIncidentStep({ incident, step: { ...step, seq: seq++, after } });
  };
  const notify = async (event: IncidentNotice['event'], text: string) => {
    const { channels } = await notifyIncident({ incident, event, escalationLevel: status.escalationLevel, text });
    await record({ event: 'notified', at: now(), details: { about: event, channels } });
  };
  const tag = () => upsertSearchAttributes([{ key: searchAttributes.stage, value: status.state }]);

  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'sensorIncident' },
    { key: searchAttributes.sensor, value: input.sensorId },
    { key: searchAttributes.anomalyType, value: input.anomalyType },
    { key: searchAttributes.stage, value: status.state },
  ]);
  // 1. Open. Whatever arrived meanwhile (an acknowledge right away) is recorded after the opening.
  await record({
    event: 'opened',
    at: now(),
    details: { faultStartedAt: input.faultStartedAt, severity: input.severity },
  });
  await notify('opened', `sensor ${input.sensorId}: ${input.summary}`);

  // 2. Wait for people or recovery; escalate while nobody acknowledges.
  for (;;) {
    while (pending.length > 0) {
      const step = pending.shift() as Pending;
      await record(step);
      tag();
    }
    if (status.state === 'closed') break;
    const mayEscalate = status.state === 'open' && status.escalationLevel < maxEscalations;
    const acted = mayEscalate
      ? await condition(() => pending.length > 0, escalateAfterMs)
      : (await condition(() => pending.length > 0), true);
    if (!acted && status.state === 'open') {
      status.escalationLevel += 1;
      await record({ event: 'escalated', at: now(), details: { level: status.escalationLevel } });
      await notify(
        'escalated',
        `sensor ${input.sensorId}: ${input.summary}; unacknowledged, escalation ${status.escalationLevel} of ${maxEscalations}`,
      );
    }
  }

  // 3. Closed.
  await record({ event: 'closed', at: now(), details: { reason: status.closed?.reason } });
  await notify('closed', `sensor ${input.sensorId}: incident closed (${status.closed?.reason})`);
  return status;
}

function pick(status: IncidentStatus): Pick<IncidentStatus, 'acknowledged' | 'closed'> {
  return {
    ...(status.acknowledged ? { acknowledged: status.acknowledged } : {}),
    ...(status.closed ? { closed: status.closed } : {}),
  };
}

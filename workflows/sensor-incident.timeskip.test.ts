import { WorkflowUpdateFailedError } from '@temporalio/client';

import { createIncidentActivities } from '../activities/incidents';
import { fakeIncidents, logOnlyAlerts } from '../test/support/repository-fakes';
import { eventually, timeSkippingForFile, withWorkers, workflowIdFor } from '../test/workflows/time-skipping';

import {
  acknowledgeIncidentSignal,
  acknowledgeIncidentUpdate,
  faultRecoveredSignal,
  incidentStatusQuery,
  resolveIncidentUpdate,
  sensorIncident,
  type SensorIncidentInput,
} from './sensor-incident';

/**
 * sensorIncident on the time-skipping test server, with the real incident activities over an in-memory
 * repository: escalation at its real delay, acknowledge and resolve by update and signal, recovery.
 */
jest.setTimeout(60_000);
const ts = timeSkippingForFile();

const input: SensorIncidentInput = {
  anomalyId: '0123456789abcdef0123456789abcdef',
  sensorId: 'CAP_001',
  anomalyType: 'flatline',
  measurement: 'pm2_5',
  severity: 'warning',
  faultStartedAt: '2024-01-15T14:30:00Z',
  summary: 'pm2_5 stuck at 12.5 for 30 readings',
};

function setUp() {
  const store = fakeIncidents();
  const activities = createIncidentActivities({ incidents: store.repository, ...logOnlyAlerts() });
  const events = () =>
    store.steps.map((s) => (s.event === 'notified' ? `notified:${String(s.details?.about)}` : s.event));
  return { store, activities, events };
}

describe('sensorIncident on the time-skipping test server', () => {
  it('when nobody acknowledges, then it escalates every 30 minutes up to the limit, then waits; a resolve closes it', async () => {
    const { activities, events, store } = setUp();

    const result = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const handle = await ts.env.client.workflow.start(sensorIncident, {
        taskQueue,
        workflowId: workflowIdFor('sensor-incident'),
        args: [{ ...input, maxEscalations: 2 }],
      });
      await ts.env.sleep('29 minutes');
      const before = await handle.query(incidentStatusQuery);
      await ts.env.sleep('5 hours');
      const after = await handle.query(incidentStatusQuery);
      const taken = await handle.executeUpdate(resolveIncidentUpdate, {
        args: [{ by: 'ana', comment: 'replaced the sensor' }],
      });
      return { before, after, taken, result: await handle.result() };
    });

    expect(result.before.escalationLevel).toBe(0);
    expect(result.after.escalationLevel).toBe(2);
    expect(result.taken).toMatchObject({ state: 'closed', closed: { reason: 'resolved', by: 'ana' } });
    expect(events()).toEqual([
      'opened',
      'notified:opened',
      'escalated',
      'notified:escalated',
      'escalated',
      'notified:escalated',
      'resolved',
      'closed',
      'notified:closed',
    ]);
    const escalations = store.steps.filter((s) => s.event === 'escalated').map((s) => Date.parse(s.at));
    // The timer's 30 minutes, plus the few milliseconds of recording and notifying in between.
    expect((escalations[1] ?? 0) - (escalations[0] ?? 0)).toBeGreaterThanOrEqual(30 * 60_000);
    expect((escalations[1] ?? 0) - (escalations[0] ?? 0)).toBeLessThan(31 * 60_000);
    expect(store.incidents.get(input.anomalyId)?.after).toMatchObject({
      state: 'closed',
      escalationLevel: 2,
      acknowledged: { by: 'ana' },
      closed: { reason: 'resolved', by: 'ana' },
    });
  });

  it('when acknowledged in time, then it never escalates, and the detector reporting recovery closes it', async () => {
    const { activities, events, store } = setUp();

    const result = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const handle = await ts.env.client.workflow.start(sensorIncident, {
        taskQueue,
        workflowId: workflowIdFor('sensor-incident'),
        args: [input],
      });
      await ts.env.sleep('10 minutes');
      const taken = await handle.executeUpdate(acknowledgeIncidentUpdate, { args: [{ by: 'ana' }] });
      await ts.env.sleep('6 hours');
      await handle.signal(faultRecoveredSignal, { at: '2024-01-15T21:00:00Z' });
      return { taken, result: await handle.result() };
    });

    expect(result.taken).toMatchObject({ state: 'acknowledged', escalationLevel: 0, acknowledged: { by: 'ana' } });
    expect(result.result).toMatchObject({
      state: 'closed',
      recoveredAt: '2024-01-15T21:00:00Z',
      closed: { reason: 'recovered' },
    });
    expect(events()).toEqual(['opened', 'notified:opened', 'acknowledged', 'recovered', 'closed', 'notified:closed']);
    expect(store.incidents.get(input.anomalyId)?.after.escalationLevel).toBe(0);
  });

  it('refuses a second acknowledge by update with the reason, and keeps a refused signal in its status', async () => {
    const { activities } = setUp();

    const outcome = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const handle = await ts.env.client.workflow.start(sensorIncident, {
        taskQueue,
        workflowId: workflowIdFor('sensor-incident'),
        args: [input],
      });
      await handle.executeUpdate(acknowledgeIncidentUpdate, { args: [{ by: 'ana' }] });
      const second = await handle
        .executeUpdate(acknowledgeIncidentUpdate, { args: [{ by: 'ben' }] })
        .catch((err: unknown) => err);
      await handle.signal(acknowledgeIncidentSignal, { by: '' });
      const status = await eventually(
        ts.env,
        () => handle.query(incidentStatusQuery),
        (s) => s.refused.length > 0,
      );
      await handle.signal(faultRecoveredSignal, { at: '2024-01-15T15:00:00Z' });
      await handle.result();
      return { second, status };
    });

    expect(outcome.second).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((outcome.second as WorkflowUpdateFailedError).cause?.message)).toBe(
      'acknowledge from ben refused: already acknowledged by ana',
    );
    expect(outcome.status.refused.map((r) => r.reason)).toEqual(['by: by must name a person']);
  });
});

import type { IncidentRecord, IncidentStep } from '../../activities/repositories';
import { findIncident, listIncidents, recordIncidentStep } from '../../adapters/postgres/incidents';

import { withScratchDatabase } from './scratch-database';

jest.setTimeout(120_000);

const incident: IncidentRecord = {
  id: 'aa11bb22cc33dd44ee55ff6600112233',
  workflowId: 'sensor-incident-aa11bb22cc33dd44ee55ff6600112233',
  sensorId: 'CAP_001',
  anomalyType: 'flatline',
  measurement: 'pm2_5',
  severity: 'warning',
  summary: 'pm2_5 stuck at 12.5',
  faultStartedAt: '2024-01-15T14:30:00Z',
};

const step = (seq: number, event: IncidentStep['event'], after: IncidentStep['after'], at: string): IncidentStep => ({
  seq,
  event,
  at,
  after,
});

describe('sensor incidents in PostgreSQL', () => {
  it('records each step once, keeps the state the last one left, and lists open incidents until closed', async () => {
    await withScratchDatabase(
      'sensor_incidents',
      async (pool) => {
        const open = { state: 'open' as const, escalationLevel: 0 };
        const acknowledged = {
          state: 'acknowledged' as const,
          escalationLevel: 1,
          acknowledged: { at: '2024-01-15T15:10:00.000Z', by: 'ana' },
        };

        await recordIncidentStep(pool, incident, step(0, 'opened', open, '2024-01-15T14:40:00Z'));
        await recordIncidentStep(pool, incident, step(0, 'opened', open, '2024-01-15T14:40:00Z'));
        await recordIncidentStep(
          pool,
          incident,
          step(1, 'escalated', { ...open, escalationLevel: 1 }, '2024-01-15T15:10:00Z'),
        );
        await recordIncidentStep(pool, incident, {
          ...step(2, 'acknowledged', acknowledged, '2024-01-15T15:10:00Z'),
          actor: 'ana',
        });
        // A retry of the escalation, after the acknowledge was written: it must not roll the state back.
        await recordIncidentStep(
          pool,
          incident,
          step(1, 'escalated', { ...open, escalationLevel: 1 }, '2024-01-15T15:10:00Z'),
        );
        const whileOpen = await listIncidents(pool, { open: true });
        await recordIncidentStep(
          pool,
          incident,
          step(
            3,
            'recovered',
            {
              ...acknowledged,
              state: 'closed',
              closed: { at: '2024-01-15T16:00:00.000Z', reason: 'recovered' },
            },
            '2024-01-15T16:00:00Z',
          ),
        );
        const found = await findIncident(pool, incident.id);

        expect(whileOpen.map((i) => [i.id, i.state, i.escalationLevel, i.acknowledgedBy])).toEqual([
          [incident.id, 'acknowledged', 1, 'ana'],
        ]);
        expect(await listIncidents(pool, { open: true })).toEqual([]);
        expect(found).toMatchObject({
          state: 'closed',
          closedReason: 'recovered',
          acknowledgedBy: 'ana',
          faultStartedAt: '2024-01-15T14:30:00.000Z',
          openedAt: '2024-01-15T14:40:00.000Z',
        });
        expect(found.steps.map((s) => [s.seq, s.event, s.actor])).toEqual([
          [0, 'opened', null],
          [1, 'escalated', null],
          [2, 'acknowledged', 'ana'],
          [3, 'recovered', null],
        ]);
        await expect(findIncident(pool, 'nope')).rejects.toMatchObject({ code: 'UNKNOWN_INCIDENT', httpStatus: 404 });
      },
      { migrated: true },
    );
  });
});

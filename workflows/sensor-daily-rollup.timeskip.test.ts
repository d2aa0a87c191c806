import type { Producer } from 'kafkajs';

import { createIncidentActivities } from '../activities/incidents';
import { createSensorRollupActivities, type SensorRollupActivities } from '../activities/sensor-rollup';
import { sensorIncidentWorkflowId, type SensorIncidentInput } from '../core/sensors/incident';
import { dayMs, rollupSettleMs, toDay } from '../core/sensors/rollup-day';
import { defaultDetectorThresholds } from '../core/sensors/thresholds';
import { fakeIncidents, fakeSensorRollup, logOnlyAlerts } from '../test/support/repository-fakes';
import { asFlagged, rollupScenario, syntheticReferenceAt } from '../test/support/sensor-rollup-scenario';
import { recording } from '../test/workflows/activity-fakes';
import { eventually, timeSkippingForFile, withWorkers, workflowIdFor } from '../test/workflows/time-skipping';

import { sensorDailyRollup } from './sensor-daily-rollup';
import { incidentStatusQuery } from './sensor-incident';

/**
 * sensorDailyRollup on the time-skipping test server: the real rollup activities over in-memory storage
 * (and the real incident activities for the incidents it starts), or fakes for the recovery path.
 */
jest.setTimeout(90_000);
const ts = timeSkippingForFile();

const days = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'];

/** Real activities over a scenario of its own (sensor ids from `prefix`: incident ids differ per test). */
function realActivities(prefix: string) {
  const scenario = rollupScenario({
    prefix,
    firstDay: days[0] as string,
    days: days.length,
    reference: syntheticReferenceAt,
    center: { lat: 45.76, lon: 4.84 },
    locationId: 'lyon',
    gainTo: 1.6,
  });
  const references = Array.from({ length: 40 * 24 }, (_, h) => {
    const hourMs = Date.parse('2024-02-01T00:00:00Z') + h * 3_600_000;
    return { locationId: 'lyon', hour: new Date(hourMs).toISOString(), values: syntheticReferenceAt(hourMs) };
  });
  const store = fakeSensorRollup({ sensors: scenario.sensors, readings: asFlagged(scenario.readings), references });
  const incidents = fakeIncidents();
  const producer = { send: async () => [] } as unknown as Producer;
  const activities = {
    ...createSensorRollupActivities({
      sensorRollup: store.repository,
      producer,
      sensorChecks: { thresholds: defaultDetectorThresholds, incidentEscalateAfter: '30m' },
    }),
    ...createIncidentActivities({ incidents: incidents.repository, ...logOnlyAlerts() }),
  };
  return { scenario, store, incidents, activities };
}

const emptyMeans = (day: string) => ({
  day,
  sensors: 0,
  readings: 0,
  hours: 0,
  hoursExcluded: 0,
  written: 0,
  removed: 0,
});
const noChecks = (day: string) => ({
  day,
  sensors: 0,
  calibrations: 0,
  outsideTargets: 0,
  baselines: 0,
  opened: 0,
  closed: 0,
  open: 0,
  published: 0,
});

/** Rollup activities that find nothing but the incidents given, recording their calls. */
function fakeRollupActivities(incidents: {
  open?: SensorIncidentInput[];
  recovered?: { anomalyId: string; at: string }[];
}) {
  const fakes: SensorRollupActivities = {
    computeSensorHourlyMeans: async ({ day }) => emptyMeans(day),
    runSensorDailyChecks: async ({ day }) => ({
      ...noChecks(day),
      incidents: { open: incidents.open ?? [], recovered: incidents.recovered ?? [] },
    }),
  };
  return recording(fakes);
}

describe('sensorDailyRollup on the time-skipping test server', () => {
  // First: a finished incident child (abandoned by its parent) keeps the test server from skipping time
  // afterwards, and this test needs a day and a quarter of it.
  it('when no day is given, then it rolls up yesterday by the workflow clock; a day not over yet is waited for', async () => {
    const { activities, calls } = fakeRollupActivities({});

    const outcome = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const startedAt = await ts.env.currentTimeMs();
      const yesterday = await ts.env.client.workflow.execute(sensorDailyRollup, {
        taskQueue,
        workflowId: workflowIdFor('sensor-daily-rollup-scheduled'),
        args: [{}],
      });
      const today = toDay(await ts.env.currentTimeMs());
      const waited = await ts.env.client.workflow.execute(sensorDailyRollup, {
        taskQueue,
        workflowId: workflowIdFor('sensor-daily-rollup-today'),
        args: [{ day: today }],
      });
      return { startedAt, yesterday, today, waited, endedAt: await ts.env.currentTimeMs() };
    });

    expect(outcome.yesterday.day).toBe(toDay(outcome.startedAt - dayMs));
    expect(outcome.waited.day).toBe(outcome.today);
    expect(outcome.endedAt).toBeGreaterThanOrEqual(Date.parse(`${outcome.today}T00:00:00Z`) + dayMs + rollupSettleMs);
    expect(calls.map((c) => [c.name, c.input])).toEqual([
      ['computeSensorHourlyMeans', { day: outcome.yesterday.day }],
      ['runSensorDailyChecks', { day: outcome.yesterday.day }],
      ['computeSensorHourlyMeans', { day: outcome.today }],
      ['runSensorDailyChecks', { day: outcome.today }],
    ]);
  });

  it('when a sensor drifts, then the day that finds it starts its incident as an abandoned child, once even when run again', async () => {
    const { activities, incidents, store, scenario } = realActivities('TSA');

    const outcome = await withWorkers(ts, activities, async ({ taskQueue }) => {
      const results = [];
      for (const day of days) {
        results.push(
          await ts.env.client.workflow.execute(sensorDailyRollup, {
            taskQueue,
            workflowId: workflowIdFor(`sensor-daily-rollup-${day}`),
            args: [{ day }],
          }),
        );
      }
      const openedOn = results.findIndex((r) => r.incidents.started.length > 0);
      const again = await ts.env.client.workflow.execute(sensorDailyRollup, {
        taskQueue,
        workflowId: workflowIdFor('sensor-daily-rollup-again'),
        args: [{ day: days[openedOn] as string }],
      });
      const incidentId = results[openedOn]?.incidents.started[0] as string;
      const incident = ts.env.client.workflow.getHandle(incidentId);
      const status = await eventually(
        ts.env,
        () => incident.query(incidentStatusQuery),
        (s) => s.state === 'open',
      );
      // Its escalation timers would otherwise hold the shared server's clock for the next tests.
      await incident.terminate('test over');
      return { results, again, openedOn, incidentId, status };
    });

    const anomaly = [...store.anomalies.values()][0]?.anomaly;
    expect(store.anomalies.size).toBe(1);
    expect(anomaly).toMatchObject({ sensor_id: scenario.drifting, type: 'drift' });
    expect(outcome.incidentId).toBe(sensorIncidentWorkflowId(anomaly?.id ?? ''));
    expect(outcome.results.map((r) => r.incidents.started.length)).toEqual(
      days.map((_, i) => (i === outcome.openedOn ? 1 : 0)),
    );
    expect(outcome.results.map((r) => r.means.hours)).toEqual(days.map(() => 5 * 24 * 3));
    expect(outcome.again.incidents).toEqual({
      started: [],
      existing: [outcome.incidentId],
      recovered: [],
      notRunning: [],
    });
    expect(outcome.again.checks).toEqual(outcome.results[outcome.openedOn]?.checks);
    expect(outcome.status.state).toBe('open');
    expect(incidents.steps.filter((s) => s.event === 'opened')).toHaveLength(1);
  });

  it('when a drift closes, then its incident is told the fault recovered; an incident that is not running is noted', async () => {
    const input: SensorIncidentInput = {
      anomalyId: 'ab'.repeat(16),
      sensorId: 'TSB_001',
      anomalyType: 'drift',
      measurement: 'pm2_5',
      severity: 'warning',
      faultStartedAt: '2024-03-01T10:00:00.000Z',
      summary: 'drift of pm2_5',
      escalateAfter: '30m',
    };
    const incidents = fakeIncidents();
    const opening = fakeRollupActivities({ open: [input] });
    const closing = fakeRollupActivities({
      recovered: [
        { anomalyId: input.anomalyId, at: '2024-03-09T00:00:00.000Z' },
        { anomalyId: 'cd'.repeat(16), at: '2024-03-09T00:00:00.000Z' },
      ],
    });
    const incidentActivities = createIncidentActivities({ incidents: incidents.repository, ...logOnlyAlerts() });

    const { closed, incident } = await withWorkers(
      ts,
      { ...opening.activities, ...incidentActivities },
      async ({ taskQueue }) => {
        await ts.env.client.workflow.execute(sensorDailyRollup, {
          taskQueue,
          workflowId: workflowIdFor('sensor-daily-rollup-open'),
          args: [{ day: '2024-03-04' }],
        });
        return withWorkers(ts, { ...closing.activities, ...incidentActivities }, async (second) => {
          const result = await ts.env.client.workflow.execute(sensorDailyRollup, {
            taskQueue: second.taskQueue,
            workflowId: workflowIdFor('sensor-daily-rollup-close'),
            args: [{ day: '2024-03-08' }],
          });
          const handle = ts.env.client.workflow.getHandle(sensorIncidentWorkflowId(input.anomalyId));
          return { closed: result, incident: await handle.result() };
        });
      },
    );

    expect(closed.incidents).toEqual({
      started: [],
      existing: [],
      recovered: [sensorIncidentWorkflowId(input.anomalyId)],
      notRunning: [sensorIncidentWorkflowId('cd'.repeat(16))],
    });
    expect(incident).toMatchObject({ state: 'closed', recoveredAt: '2024-03-09T00:00:00.000Z' });
    expect(incidents.steps.map((s) => s.event)).toEqual(['opened', 'notified', 'recovered', 'closed', 'notified']);
    expect(opening.calls.map((c) => c.name)).toEqual(['computeSensorHourlyMeans', 'runSensorDailyChecks']);
  });

  it('when the day is not a date, then the run fails at once with INVALID_DAY', async () => {
    const { activities, calls } = fakeRollupActivities({});

    const error = await withWorkers(ts, activities, ({ taskQueue }) =>
      ts.env.client.workflow
        .execute(sensorDailyRollup, {
          taskQueue,
          workflowId: workflowIdFor('sensor-daily-rollup-bad'),
          args: [{ day: '2024-13-01' }],
        })
        .catch((err: unknown) => err),
    );

    expect(String((error as { cause?: Error }).cause?.message)).toMatch(/not a day/);
    expect(calls).toEqual([]);
  });
});

import type { Producer } from 'kafkajs';

import { dayMs } from '../core/sensors/rollup-day';
import { defaultDetectorThresholds } from '../core/sensors/thresholds';
import { topics } from '../core/topics';
import { inActivityOf } from '../test/support/activity-context';
import { fakeSensorRollup } from '../test/support/repository-fakes';
import { asFlagged, rollupScenario, syntheticReferenceAt } from '../test/support/sensor-rollup-scenario';

import { createSensorRollupActivities } from './sensor-rollup';

const inActivity = inActivityOf('sensor-daily-rollup-test');
const firstDay = '2024-03-01';
const days = ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05'];

/** Five sensors near Lyon over five days; the first one's PM2.5 gain grows from 1 to 1.6. */
const scenario = rollupScenario({
  prefix: 'ROLL',
  firstDay,
  days: days.length,
  reference: syntheticReferenceAt,
  center: { lat: 45.76, lon: 4.84 },
  locationId: 'lyon',
  gainTo: 1.6,
});
const references = Array.from({ length: 40 * 24 }, (_, h) => {
  const hourMs = Date.parse(firstDay) - 30 * dayMs + h * 3_600_000;
  return { locationId: 'lyon', hour: new Date(hourMs).toISOString(), values: syntheticReferenceAt(hourMs) };
});

function setUp(options: { retired?: string[] } = {}) {
  const store = fakeSensorRollup({
    sensors: scenario.sensors.map((s) => ({ ...s, status: options.retired?.includes(s.id) ? 'retired' : 'active' })),
    readings: asFlagged(scenario.readings),
    references,
  });
  const sent: Parameters<Producer['send']>[0][] = [];
  const producer = {
    send: async (record: Parameters<Producer['send']>[0]) => void sent.push(record),
  } as unknown as Producer;
  const activities = createSensorRollupActivities({
    sensorRollup: store.repository,
    producer,
    sensorChecks: { thresholds: defaultDetectorThresholds, incidentEscalateAfter: '30m' },
  });
  const rollUp = async (day: string) => ({
    means: await inActivity(activities.computeSensorHourlyMeans, { day }),
    checks: await inActivity(activities.runSensorDailyChecks, { day }),
  });
  return { store, sent, activities, rollUp };
}

describe('sensor rollup activities', () => {
  it('when days are rolled up in turn, then means and calibrations are stored and the drifting sensor opens one incident', async () => {
    const { store, sent, rollUp } = setUp();

    const outcomes = [];
    for (const day of days) outcomes.push(await rollUp(day));

    expect(outcomes.map((o) => o.means)).toEqual(
      days.map((day) => ({
        day,
        sensors: 5,
        readings: 5 * 1440,
        hours: 5 * 24 * 3,
        hoursExcluded: 0,
        written: 5 * 24 * 3,
        removed: 0,
      })),
    );
    expect(store.means.size).toBe(days.length * 5 * 24 * 3);
    const opened = outcomes.flatMap((o) => o.checks.incidents.open);
    expect(opened).toEqual([
      expect.objectContaining({
        sensorId: scenario.drifting,
        anomalyType: 'drift',
        measurement: 'pm2_5',
        escalateAfter: '30m',
      }),
    ]);
    expect(outcomes.flatMap((o) => o.checks.incidents.recovered)).toEqual([]);
    expect([...store.anomalies.values()].map((a) => [a.anomaly.id, a.anomaly.type, a.closedAt])).toEqual([
      [opened[0]?.anomalyId, 'drift', undefined],
    ]);
    // Day 1 has too few hours to fit (48 needed); from day 2, each sensor has a 7- and a 30-day fit of PM2.5 and PM10.
    expect(outcomes.map((o) => o.checks.calibrations)).toEqual([0, 20, 20, 20, 20]);
    expect(store.calibrations.size).toBe(80);
    const published = sent.flatMap((r) => r.messages.map((m) => ({ topic: r.topic, key: m.key })));
    expect(published).toEqual([{ topic: topics.sensorsAnomalies, key: scenario.drifting }]);
  });

  it('when a day is rolled up again, then nothing changes in the store and it asks for the same incident again', async () => {
    const { store, rollUp } = setUp();
    const outcomes = [];
    for (const day of days) outcomes.push(await rollUp(day));
    const openedOn = outcomes.findIndex((o) => o.checks.incidents.open.length > 0);
    const before = JSON.stringify([[...store.means], [...store.calibrations], [...store.anomalies]]);

    const again = await rollUp(days[openedOn] as string);

    expect(again.means).toMatchObject({ written: 0, removed: 0, hours: 5 * 24 * 3 });
    expect(again.checks).toEqual(outcomes[openedOn]?.checks);
    expect(JSON.stringify([[...store.means], [...store.calibrations], [...store.anomalies]])).toBe(before);
  });

  it('when readings are flagged or a sensor is retired, then flagged hours drop below coverage and the sensor is not judged', async () => {
    const { store, activities } = setUp({ retired: [scenario.drifting] });
    // 20 flagged minutes in the second sensor's 10:00 on the first day.
    const second = scenario.sensors[1]?.id;
    for (const [i, r] of store.readings.entries()) {
      const minute = (Date.parse(r.timestamp) - Date.parse(firstDay)) / 60_000;
      if (r.sensor_id === second && minute >= 600 && minute < 620)
        store.readings[i] = { ...r, qc_flags: ['spike:pm2_5'] };
    }

    const means = await inActivity(activities.computeSensorHourlyMeans, { day: firstDay });
    for (const day of days.slice(1)) await inActivity(activities.computeSensorHourlyMeans, { day });
    const checks = await inActivity(activities.runSensorDailyChecks, { day: days.at(-1) as string });

    expect(means).toMatchObject({ hours: 5 * 24 * 3 - 3, hoursExcluded: 3 });
    expect(checks).toMatchObject({ sensors: 4, opened: 0, calibrations: 16 });
  });

  it('when the day is not a date, then the activity fails for good', async () => {
    const { activities } = setUp();

    await expect(inActivity(activities.runSensorDailyChecks, { day: '2024-02-30' })).rejects.toMatchObject({
      type: 'INVALID_DAY',
      nonRetryable: true,
    });
  });
});

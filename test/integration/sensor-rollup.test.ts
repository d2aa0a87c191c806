import { createKafka } from '../../adapters/kafka/client';
import { createLogger } from '../../adapters/logger';
import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { startBackfill } from '../../adapters/temporal/pipeline-runs';
import { startOrJoin } from '../../adapters/temporal/start-or-join';
import { topics } from '../../core/topics';
import { sensorDailyRollupWorkId } from '../../core/work-ids/work-ids';
import type { ingestHistory } from '../../workflows/ingest-history';
import { sensorDailyRollup, type SensorDailyRollupResult } from '../../workflows/sensor-daily-rollup';
import type { sensorIncident } from '../../workflows/sensor-incident';
import { seedRollupScenario } from '../support/sensor-rollup-seed';

import { sleep } from './drill-support';
import { readTopic } from './kafka-topics';
import { testConfig } from './test-env';

/**
 * sensorDailyRollup on the test stack: seven days of five sensors around Lyon (one reading a minute, the
 * stored Lyon hours as their air), the first one's PM2.5 gain growing to 1.6 over three days, then
 * recalibrated. Rolled up day by day by the worker, as the schedule would: means, calibrations with their
 * verdicts, baselines, one drift anomaly whose incident opens and later recovers; then the opening day
 * again, which changes nothing.
 */
jest.setTimeout(600_000);

const config = testConfig();
const pool = createPool(config, { max: 4 });
const kafka = createKafka(config, createLogger('test', 'error'));
const firstDay = '2024-02-10';
const days = Array.from({ length: 7 }, (_, i) =>
  new Date(Date.parse(firstDay) + i * 86_400_000).toISOString().slice(0, 10),
);

afterAll(async () => {
  await pool.end();
});

/** Rows of the rollup's tables for these sensors, comparable before and after a re-run. */
async function stored(sensorIds: string[]) {
  const query = async (sql: string) => (await pool.query(sql, [sensorIds])).rows;
  return {
    means: await query(
      `SELECT sensor_id, measurement, hour, mean, n, coverage, computed_at FROM sensor_hourly_means
       WHERE sensor_id = ANY($1) ORDER BY sensor_id, measurement, hour`,
    ),
    calibrations: await query(
      `SELECT sensor_id, measurement, window_days, as_of::text, bias, slope, intercept, r2, n, within_targets,
         outside_targets, computed_at
       FROM sensor_calibrations WHERE sensor_id = ANY($1) ORDER BY as_of, sensor_id, measurement, window_days`,
    ),
    baselines: await query(
      `SELECT sensor_id, measurement, established_on::text, slope, intercept, r2, n, computed_at
       FROM sensor_calibration_baselines WHERE sensor_id = ANY($1) ORDER BY sensor_id, measurement`,
    ),
    anomalies: await query(
      `SELECT id, sensor_id, type, measurement, severity, score, window_start, window_end, evidence, detected_at,
         closed_at, updated_at
       FROM sensor_anomalies WHERE sensor_id = ANY($1) ORDER BY id`,
    ),
  };
}

describe('sensorDailyRollup on the stack', () => {
  it('stores means and calibrations, opens one drift incident and recovers it; a second run of a day changes nothing', async () => {
    const temporal = await connectTemporal(config);
    const backfill = await startBackfill(temporal, config, {
      locationIds: ['lyon'],
      from: `${firstDay}T00:00:00Z`,
      to: `${days.at(-1)}T23:00:00Z`,
    });
    await temporal.workflow.getHandle<typeof ingestHistory>(backfill.workflowId).result();
    const scenario = await seedRollupScenario(pool, {
      prefix: 'ROLLIT',
      firstDay,
      days: days.length,
      locationId: 'lyon',
      gainTo: 1.6,
      fixedFromDay: 4,
    });
    const sensorIds = scenario.sensors.map((s) => s.id);

    const results: SensorDailyRollupResult[] = [];
    for (const day of days) {
      const { handle } = await startOrJoin(temporal, config, sensorDailyRollup, sensorDailyRollupWorkId(day), {
        day,
      });
      results.push(await handle.result());
    }
    const first = await stored(sensorIds);

    // Means: 5 sensors × 24 hours × PM2.5, PM10, NO2, every day, all readings clean and present.
    expect(results.map((r) => r.means.hours)).toEqual(days.map(() => 5 * 24 * 3));
    expect(first.means).toHaveLength(days.length * 5 * 24 * 3);
    expect(first.means.every((m: { n: number; coverage: number }) => m.n === 60 && m.coverage === 1)).toBe(true);
    // Calibrations: from the second day (48 paired hours), 7- and 30-day fits of PM2.5 and PM10 (Lyon has no NO2).
    const perDay = days.map((day) => first.calibrations.filter((c: { as_of: string }) => c.as_of === day).length);
    expect(perDay).toEqual([0, 20, 20, 20, 20, 20, 20]);
    const drifting = first.calibrations.filter(
      (c: { sensor_id: string; measurement: string; window_days: number; as_of: string }) =>
        c.sensor_id === scenario.drifting && c.measurement === 'pm2_5' && c.window_days === 7 && c.as_of === days[3],
    )[0] as { slope: number; bias: number };
    expect(drifting.slope).toBeGreaterThan(1.2);
    expect(drifting.bias).toBeGreaterThan(2);
    // Every calibration carries its verdict against EPA's targets; the drifting one misses the slope.
    expect(first.calibrations.every((c: { within_targets: boolean | null }) => c.within_targets !== null)).toBe(true);
    expect(drifting).toMatchObject({ within_targets: false, outside_targets: ['slope'] });
    // Baselines: every sensor's PM2.5 and PM10, from its first two days (the drifting sensor's gain was still
    // within the drift bands then), kept from then on.
    expect(
      first.baselines.map((b: { sensor_id: string; measurement: string; established_on: string }) => [
        `${b.sensor_id}/${b.measurement}`,
        b.established_on,
      ]),
    ).toEqual(sensorIds.flatMap((id) => [`${id}/pm10`, `${id}/pm2_5`]).map((series) => [series, days[1]]));

    // Exactly one anomaly: the drift of the sensor whose gain grew, opened, then closed after recalibration.
    expect(first.anomalies.map((a: { sensor_id: string; type: string }) => [a.sensor_id, a.type])).toEqual([
      [scenario.drifting, 'drift'],
    ]);
    const anomaly = first.anomalies[0] as { id: string; closed_at: Date | null };
    expect(anomaly.closed_at).not.toBeNull();
    const openedOn = results.findIndex((r) => r.incidents.started.length > 0);
    const incidentId = `sensor-incident-${anomaly.id}`;
    expect(results.flatMap((r) => r.incidents.started)).toEqual([incidentId]);
    expect(results.flatMap((r) => r.incidents.recovered)).toEqual([incidentId]);
    expect(openedOn).toBeGreaterThan(0);

    // Its incident: started by the rollup, closed by the recovery signal, every step recorded.
    const incident = await temporal.workflow.getHandle<typeof sensorIncident>(incidentId).result();
    expect(incident).toMatchObject({ state: 'closed', closed: { reason: 'recovered' } });
    let row: { state: string; closed_reason: string } | undefined;
    for (let polls = 0; polls < 40 && row?.state !== 'closed'; polls++) {
      row = (await pool.query('SELECT state, closed_reason FROM sensor_incidents WHERE id = $1', [anomaly.id])).rows[0];
      if (row?.state !== 'closed') await sleep(250);
    }
    expect(row).toEqual({ state: 'closed', closed_reason: 'recovered' });

    // The opening day again, as a second trigger (another workflow id) would run it.
    const again = await temporal.workflow.execute(sensorDailyRollup, {
      taskQueue: config.temporal.taskQueue,
      workflowId: `${sensorDailyRollupWorkId(days[openedOn] as string)}-again`,
      args: [{ day: days[openedOn] as string }],
    });
    expect(again.means).toMatchObject({ written: 0, removed: 0 });
    expect(again.incidents).toEqual({ started: [], existing: [incidentId], recovered: [], notRunning: [] });
    expect(await stored(sensorIds)).toEqual(first);
    const incidentRuns = [];
    for await (const run of temporal.workflow.list({ query: `WorkflowId = '${incidentId}'` })) incidentRuns.push(run);
    expect(incidentRuns).toHaveLength(1);

    // Published to sensors.anomalies: opened and closed, and opened again by the second run (consumers dedupe by id).
    const admin = kafka.admin();
    await admin.connect();
    const messages = (await readTopic(kafka, admin, topics.sensorsAnomalies)).filter((m) =>
      m.value.includes(anomaly.id),
    );
    await admin.disconnect();
    expect(messages.map((m) => m.key)).toEqual([scenario.drifting, scenario.drifting, scenario.drifting]);
    await temporal.connection.close();
  });
});

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { connectTemporal } from '../../adapters/temporal/client';
import { applySchedules, platformSchedules, removeSchedules } from '../../adapters/temporal/schedules';
import { repoRoot } from '../../config/runtime';
import { startScheduledWork } from '../../workflows/start-scheduled-work';

import { testConfig, testProcessEnv } from './test-env';

const run = promisify(execFile);
const config = testConfig();

jest.setTimeout(120_000);

async function airq(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'cli', 'airq.ts'), ...args], {
    cwd: repoRoot,
    env: testProcessEnv(),
  });
}

describe('airq operator CLI', () => {
  it('when a dry-run backfill is asked, then it prints the Web UI link and the chunk plan without ingesting', async () => {
    const { stdout } = await airq(
      'backfill',
      '--from',
      '2024-05-01',
      '--to',
      '2024-06-30',
      '--locations',
      'lyon',
      '--dry-run',
    );

    expect(stdout).toContain(
      `${config.temporal.uiUrl}/namespaces/aqi/workflows/ingest-history-lyon-2024-05-01T00-2024-06-30T23-dry-run`,
    );
    expect(stdout).toContain('dry run: 2 chunks would be ingested');
    expect(stdout).toContain('lyon 2024-06-01T00:00:00Z .. 2024-06-30T23:00:00Z');
  });

  it('when a backfill range is repeated, then the second command names the run that already did it', async () => {
    const args = ['backfill', '--from', '2024-07-01', '--to', '2024-07-02', '--locations', 'lyon'];
    await airq(...args);

    const { stdout } = await airq(...args);

    expect(stdout).toMatch(/already done by run \S+ of ingest-history-lyon-2024-07-01T00-2024-07-02T23/);
    expect(stdout).toMatch(/2\/2 chunks|1\/1 chunks/);
  });

  it('when a bad hour is given, then it exits 1 naming the option', async () => {
    const error = (await airq('backfill', '--from', '2024-07-01T00:30:00Z', '--to', '2024-07-02').catch(
      (e: unknown) => e,
    )) as {
      code: number;
      stderr: string;
    };

    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/--from must be a whole UTC hour/);
  });
});

describe('airq sensors rollup', () => {
  it('when a past day is asked, then it rolls it up and prints what it stored; twice, it names the first run', async () => {
    const first = await airq('sensors', 'rollup', '--day', '2024-03-20', '--json');
    const second = await airq('sensors', 'rollup', '--day', '2024-03-20');

    expect(first.stderr).toContain('started sensor-daily-rollup-2024-03-20');
    expect(JSON.parse(first.stdout)).toMatchObject({ day: '2024-03-20', means: { day: '2024-03-20' } });
    expect(second.stdout).toMatch(/already done by run \S+ of sensor-daily-rollup-2024-03-20/);
    expect(second.stdout).toMatch(/^2024-03-20: \d+ sensors, \d+ readings/m);
  });

  it('when the day is not over or not a day, then it exits 1 saying so, without starting anything', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const notOver = (await airq('sensors', 'rollup', '--day', today).catch((e: unknown) => e)) as { stderr: string };
    const bad = (await airq('sensors', 'rollup', '--day', '2024-02-30').catch((e: unknown) => e)) as { stderr: string };

    expect(notOver.stderr).toContain(`--day: ${today} is not over yet`);
    expect(bad.stderr).toContain('--day: "2024-02-30" is not a day');
  });
});

describe('Temporal Schedules', () => {
  it('when the schedules are applied twice, then they are created once and updated after, hourly and daily', async () => {
    const client = await connectTemporal(config);
    const schedules = platformSchedules(config, ['lyon']);
    try {
      const first = await applySchedules(client, schedules);
      const second = await applySchedules(client, schedules);
      const hourly = await client.schedule.getHandle('aqi-hourly-ingest').describe();

      const rollup = await client.schedule.getHandle('aqi-sensor-daily-rollup').describe();

      expect(first).toEqual([
        'created aqi-hourly-ingest',
        'created aqi-daily-quality',
        'created aqi-sensor-daily-rollup',
        'created aqi-champion-monitor',
      ]);
      expect(second).toEqual([
        'updated aqi-hourly-ingest',
        'updated aqi-daily-quality',
        'updated aqi-sensor-daily-rollup',
        'updated aqi-champion-monitor',
      ]);
      // Each schedule starts the starter, which gives the work its own id (the one Airflow and airq use).
      const starts = (work: string, scheduleId: string) => ({
        type: 'startWorkflow',
        workflowType: startScheduledWork.name,
        args: [{ work, scheduleId, locationIds: ['lyon'], taskQueue: config.temporal.taskQueue }],
      });
      expect(hourly.action).toMatchObject(starts('ingestHourly', 'aqi-hourly-ingest'));
      expect(rollup.action).toMatchObject(starts('sensorDailyRollup', 'aqi-sensor-daily-rollup'));
      expect(rollup.spec.calendars).toEqual([
        expect.objectContaining({ hour: [{ start: 1, end: 1, step: 1 }], minute: [{ start: 15, end: 15, step: 1 }] }),
      ]);
      const monitor = await client.schedule.getHandle('aqi-champion-monitor').describe();
      expect(monitor.action).toMatchObject(starts('monitorChampions', 'aqi-champion-monitor'));
    } finally {
      await removeSchedules(
        client,
        schedules.map((s) => s.scheduleId),
      );
      await client.connection.close();
    }
  });
});

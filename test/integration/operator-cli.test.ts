import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { connectTemporal } from '../../adapters/temporal/client';
import { applySchedules, platformSchedules, removeSchedules } from '../../adapters/temporal/schedules';
import { repoRoot } from '../../config/runtime';
import { ingestHourly } from '../../workflows/ingest-hourly';

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

  it('when a backfill range is repeated, then the second command joins the finished run', async () => {
    const args = ['backfill', '--from', '2024-07-01', '--to', '2024-07-02', '--locations', 'lyon'];
    await airq(...args);

    const { stdout } = await airq(...args);

    expect(stdout).toContain('joined the existing run of ingest-history-lyon-2024-07-01T00-2024-07-02T23');
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

describe('Temporal Schedules', () => {
  it('when the schedules are applied twice, then they are created once and updated after, hourly and daily', async () => {
    const client = await connectTemporal(config);
    const schedules = platformSchedules(config, ['lyon']);
    try {
      const first = await applySchedules(client, schedules);
      const second = await applySchedules(client, schedules);
      const hourly = await client.schedule.getHandle('aqi-hourly-ingest').describe();

      expect(first).toEqual(['created aqi-hourly-ingest', 'created aqi-daily-quality']);
      expect(second).toEqual(['updated aqi-hourly-ingest', 'updated aqi-daily-quality']);
      expect(hourly.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: ingestHourly.name,
        args: [{ locationIds: ['lyon'] }],
      });
    } finally {
      await removeSchedules(
        client,
        schedules.map((s) => s.scheduleId),
      );
      await client.connection.close();
    }
  });
});

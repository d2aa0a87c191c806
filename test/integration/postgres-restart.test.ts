import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from '../../config/runtime';
import { stackLayout } from '../../stack/layout';
import { isAlive } from '../../stack/processes';
import { postgresLocation } from '../../stack/services/postgres-location';
import { readSupervisedState, supervisorStateFile } from '../../stack/supervisor/state';

import { stackCommand, testConfig, testProcessEnv } from './test-env';

/**
 * Drill: PostgreSQL dies under a running stack (SIGKILL of the postmaster: every connection is cut, as in a
 * crash or a failover) and comes back with `stack/cli.ts up`. No platform process may exit over it, and
 * the next hourly ingest must complete.
 */
const config = testConfig();
const layout = stackLayout(config);
const apps = ['worker', 'trainer', 'stream', 'api'] as const;
const run = promisify(execFile);

jest.setTimeout(240_000);

const supervised = (name: string) => readSupervisedState(supervisorStateFile(layout.runDir, name));

async function ready(): Promise<{ status: number; postgres?: { ok: boolean } }> {
  const response = await fetch(`${config.api.url}/ready`);
  const body = (await response.json()) as { checks?: { postgres?: { ok: boolean } } };
  return { status: response.status, ...(body.checks?.postgres ? { postgres: body.checks.postgres } : {}) };
}

describe('drill: PostgreSQL killed and restarted under a running stack', () => {
  it('when the postmaster is SIGKILLed and the stack brought up again, then no process exits and the next hourly ingest completes', async () => {
    const before = Object.fromEntries(apps.map((name) => [name, supervised(name)]));
    for (const name of apps) expect(before[name]?.pid).toBeDefined();
    // Every process holds idle pooled connections: the ones PostgreSQL will cut.
    expect((await ready()).status).toBe(200);

    const { dataDir } = postgresLocation(layout, userInfo().uid === 0);
    const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    const killedAt = Date.now();
    while (isAlive(postmaster)) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const whileDown = await ready();
    const { command, args, env } = stackCommand('up');
    const up = spawnSync(command, args, { cwd: repoRoot, env, encoding: 'utf8', timeout: 180_000 });
    const recoveredMs = Date.now() - killedAt;

    expect(whileDown.status).toBe(503);
    expect(whileDown.postgres?.ok).toBe(false);
    expect(up.status).toBe(0);
    for (const name of apps) {
      const after = supervised(name);
      expect({ name, pid: after?.pid, restarts: after?.restarts }).toEqual({
        name,
        pid: before[name]?.pid,
        restarts: before[name]?.restarts,
      });
      expect(isAlive(after?.pid ?? -1)).toBe(true);
    }

    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'cli', 'airq.ts'),
        'ingest-hour',
        '--hour',
        '2024-12-31T18:00:00Z',
        '--locations',
        'lyon',
      ],
      { cwd: repoRoot, env: testProcessEnv(), timeout: 120_000 },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ persisted: 3 });
    expect((await ready()).status).toBe(200);
    console.log(`[drill] PostgreSQL SIGKILLed and back with stack up in ${(recoveredMs / 1000).toFixed(1)} s`);
  });

  it('when the API process is SIGKILLed, then its supervisor restarts it and stack:status counts the restart', async () => {
    const before = supervised('api');
    process.kill(before?.pid ?? -1, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    let after = supervised('api');
    while (Date.now() < deadline && (after?.pid === undefined || after.pid === before?.pid)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = supervised('api');
    }
    let health = 0;
    while (Date.now() < deadline && health !== 200) {
      health = await fetch(`${config.api.url}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (health !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { command, args, env } = stackCommand('status', '--json');
    const status = JSON.parse(spawnSync(command, args, { cwd: repoRoot, env, encoding: 'utf8' }).stdout) as Record<
      string,
      { restarts?: string; lastExit?: string; up: boolean }
    >;

    expect(after?.restarts).toBe((before?.restarts ?? 0) + 1);
    expect(after?.lastExit?.signal).toBe('SIGKILL');
    expect(health).toBe(200);
    expect(status.api).toMatchObject({ up: true, restarts: String(after?.restarts) });
    expect(status.api?.lastExit).toContain('SIGKILL');
    expect(readFileSync(layout.logFile('api'), 'utf8')).toMatch(
      /\[supervisor\] api: exited \(signal SIGKILL\) after \d+ s; restart #\d+ in 1000 ms/,
    );
  });
});

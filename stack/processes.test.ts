import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Config } from '../config';

import { stackLayout } from './layout';
import { isAlive, runningPid, startDetached, stopDetached } from './processes';

const layout = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aqi-stack-'));
  return stackLayout({ stateDir: path.join(dir, 'state'), toolsDir: path.join(dir, 'tools') } as Config);
};

describe('detached processes', () => {
  it('when a process is started, then its pid is recorded and its output goes to its log', async () => {
    const l = layout();

    const pid = startDetached(l, { name: 'echoer', command: 'sh', args: ['-c', 'echo started; sleep 30'] });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(runningPid(l, 'echoer')).toBe(pid);
    expect(readFileSync(l.logFile('echoer'), 'utf8')).toContain('started');
    await stopDetached(l, 'echoer');
  });

  it('when stopped, then the whole process group is gone and the pid forgotten', async () => {
    const l = layout();
    const pid = startDetached(l, { name: 'parent', command: 'sh', args: ['-c', 'sleep 30 & echo $! ; wait'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const childPid = Number(readFileSync(l.logFile('parent'), 'utf8').trim());

    const stopped = await stopDetached(l, 'parent');

    expect(stopped).toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(childPid)).toBe(false);
    expect(runningPid(l, 'parent')).toBeUndefined();
  });

  it('when the leader died alone and left its group behind (a supervisor SIGKILLed), then stop still ends the group', async () => {
    const l = layout();
    const pid = startDetached(l, { name: 'orphaning', command: 'sh', args: ['-c', 'sleep 30 & echo $! ; wait'] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const childPid = Number(readFileSync(l.logFile('orphaning'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));

    const stopped = await stopDetached(l, 'orphaning');

    expect(stopped).toBe(true);
    expect(isAlive(childPid)).toBe(false);
  });

  it('when a process ignores SIGTERM, then it is killed after the grace period', async () => {
    const l = layout();
    const pid = startDetached(l, { name: 'stubborn', command: 'sh', args: ['-c', "trap '' TERM; sleep 30"] });
    await new Promise((resolve) => setTimeout(resolve, 300));

    await stopDetached(l, 'stubborn', 500);

    expect(isAlive(pid)).toBe(false);
  });

  it('when nothing runs under that name, then stop reports false', async () => {
    expect(await stopDetached(layout(), 'nobody')).toBe(false);
  });
});

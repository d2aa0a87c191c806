import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { withInstallLock } from './install-lock';
import { ensureVenv } from './python-venv';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('install lock of a tools directory', () => {
  it('when two installs of one tool overlap, then the second starts only once the first has finished, and says it waits', async () => {
    const tools = mkdtempSync(path.join(tmpdir(), 'aqi-lock-'));
    const events: string[] = [];
    const said: string[] = [];
    const install = (who: string) => async () => {
      events.push(`${who} starts`);
      await pause(300);
      events.push(`${who} ends`);
      return who;
    };

    const results = await Promise.all([
      withInstallLock(tools, 'demo', (m) => said.push(`a: ${m}`), install('a')),
      pause(50).then(() => withInstallLock(tools, 'demo', (m) => said.push(`b: ${m}`), install('b'))),
    ]);

    expect(results).toEqual(['a', 'b']);
    expect(events).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
    expect(said).toEqual([`b: another process is installing demo into ${tools}; waiting for it`]);
    expect(existsSync(path.join(tools, '.locks', 'demo.lock'))).toBe(false);
  });

  it('when installs of two tools overlap, then neither waits for the other', async () => {
    const tools = mkdtempSync(path.join(tmpdir(), 'aqi-lock-'));
    const events: string[] = [];
    const install = (who: string) => async () => {
      events.push(`${who} starts`);
      await pause(200);
      events.push(`${who} ends`);
    };

    await Promise.all([
      withInstallLock(tools, 'one', () => undefined, install('one')),
      withInstallLock(tools, 'two', () => undefined, install('two')),
    ]);

    expect(events.slice(0, 2).sort()).toEqual(['one starts', 'two starts']);
  });

  it('when an install fails, then its lock is released for the next one', async () => {
    const tools = mkdtempSync(path.join(tmpdir(), 'aqi-lock-'));

    await expect(
      withInstallLock(
        tools,
        'demo',
        () => undefined,
        () => Promise.reject(new Error('pip said no')),
      ),
    ).rejects.toThrow('pip said no');
    const next = await withInstallLock(
      tools,
      'demo',
      () => undefined,
      () => Promise.resolve('installed'),
    );

    expect(next).toBe('installed');
  });

  it('when two callers ensure the same venv at once, then it is installed once and both get it', async () => {
    const tools = mkdtempSync(path.join(tmpdir(), 'aqi-lock-'));
    const requirements = path.join(tools, 'requirements.txt');
    writeFileSync(requirements, '# nothing to install: the venv and its marker are what is tested\n');
    const said: string[] = [];
    const ensure = () =>
      ensureVenv({
        toolsDir: tools,
        name: 'demo',
        requirementsFile: requirements,
        python: 'python3',
        progress: (m) => said.push(m),
      });

    const venvs = await Promise.all([ensure(), ensure()]);

    expect(venvs[0]).toBe(path.join(tools, 'venvs', 'demo'));
    expect(venvs[1]).toBe(venvs[0]);
    expect(said.filter((m) => m.startsWith('installing demo'))).toHaveLength(1);
    expect(said.filter((m) => m.includes('waiting for it'))).toHaveLength(1);
    expect(execFileSync(path.join(venvs[0], 'bin', 'python'), ['-c', 'print("ok")'], { encoding: 'utf8' })).toBe(
      'ok\n',
    );
  }, 120_000);
});

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { AppError } from '../../core/errors';

import { withInstallLock } from './install-lock';

const run = promisify(execFile);

/**
 * Makes sure `<tools>/venvs/<name>` holds exactly the pinned requirements. The sha256 of the requirements
 * file is stored in the venv, so a second run costs one file read and a changed pin reinstalls. An install
 * holds the tool's lock, so a second process sharing the tools directory waits for it instead of racing.
 */
export async function ensureVenv(options: {
  toolsDir: string;
  name: string;
  requirementsFile: string;
  python: string;
  progress: (message: string) => void;
}): Promise<string> {
  const venv = path.join(options.toolsDir, 'venvs', options.name);
  const marker = path.join(venv, '.requirements.sha256');
  const wanted = createHash('sha256').update(readFileSync(options.requirementsFile)).digest('hex');
  const installed = () => existsSync(marker) && readFileSync(marker, 'utf8').trim() === wanted;
  if (installed()) return venv;
  return withInstallLock(options.toolsDir, `venv-${options.name}`, options.progress, async () => {
    if (installed()) return venv;
    options.progress(`installing ${options.name} into ${venv} (first run only; pip can take a minute or two)`);
    const started = Date.now();
    rmSync(venv, { recursive: true, force: true });
    try {
      await run(options.python, ['-m', 'venv', venv]);
      await run(
        path.join(venv, 'bin', 'pip'),
        ['install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', options.requirementsFile],
        { maxBuffer: 64 * 1024 * 1024 },
      );
    } catch (err) {
      rmSync(venv, { recursive: true, force: true });
      throw new AppError('TOOL_INSTALL_FAILED', `could not install ${options.name} from ${options.requirementsFile}`, {
        cause: err,
      });
    }
    writeFileSync(marker, `${wanted}\n`);
    options.progress(`installed ${options.name} in ${Math.round((Date.now() - started) / 1000)} s`);
    return venv;
  });
}

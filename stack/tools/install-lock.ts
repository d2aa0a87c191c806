import { mkdirSync } from 'node:fs';
import path from 'node:path';

import lockfile from 'proper-lockfile';

import { AppError } from '../../core/errors';

/** How long a second process waits for another's install of the same tool (a Prometheus build under load). */
const waitMs = 40 * 60_000;
const pollMs = 2_000;

/**
 * Runs an install of the tool `name` holding `<tools>/.locks/<name>.lock` (proper-lockfile: a directory
 * created atomically, its mtime refreshed while held, taken over once stale), so two processes sharing
 * `AQI_TOOLS_DIR` (`npm start` beside `npm test`, two test runs) never build into the same place at once.
 * The second one waits, then runs `install` too: it re-checks what is installed and finds it done.
 */
export async function withInstallLock<T>(
  toolsDir: string,
  name: string,
  progress: (message: string) => void,
  install: () => Promise<T>,
): Promise<T> {
  const locks = path.join(toolsDir, '.locks');
  mkdirSync(locks, { recursive: true });
  const target = path.join(locks, name);
  const options = {
    realpath: false,
    stale: 30_000,
    update: 5_000,
    // The default throws from a timer, which would end the process; the install itself can go on.
    onCompromised: (err: Error) => progress(`the install lock of ${name} was lost (${err.message}); going on`),
  };
  const release = await lockfile.lock(target, options).catch(async (err: unknown) => {
    if ((err as { code?: string }).code !== 'ELOCKED') throw err;
    progress(`another process is installing ${name} into ${toolsDir}; waiting for it`);
    return lockfile
      .lock(target, {
        ...options,
        retries: { retries: Math.ceil(waitMs / pollMs), factor: 1, minTimeout: pollMs, maxTimeout: pollMs },
      })
      .catch((waited: unknown) => {
        throw new AppError(
          'TOOL_INSTALL_FAILED',
          `${name} stayed locked by another install for ${waitMs / 60_000} min`,
          {
            cause: waited,
          },
        );
      });
  });
  try {
    return await install();
  } finally {
    await release().catch(() => undefined);
  }
}

import { existsSync, readFileSync } from 'node:fs';

import { AppError, describeError } from '../core/errors';

import { delay } from './processes';

/** A readiness probe: resolves true when the service answers its own protocol correctly. */
export type Probe = () => Promise<boolean>;

/** Runs a probe, turning any thrown error into "not ready" and remembering why. */
export async function probeQuietly(probe: Probe): Promise<{ ready: boolean; reason?: string }> {
  try {
    return { ready: await probe() };
  } catch (err) {
    return { ready: false, reason: describeError(err) };
  }
}

/**
 * Polls `probe` until it succeeds. On timeout the error names the service, the last failure and the tail
 * of its log, which is usually all one needs to see why it did not come up.
 */
export async function waitUntilReady(
  what: string,
  probe: Probe,
  options: { timeoutMs: number; intervalMs?: number; logFile?: string; alive?: () => boolean },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last: string | undefined;
  for (;;) {
    const result = await probeQuietly(probe);
    if (result.ready) return;
    last = result.reason ?? last;
    if (options.alive && !options.alive()) {
      throw new AppError('STACK_START_FAILED', `${what} exited during start-up.${tail(options.logFile)}`);
    }
    if (Date.now() > deadline) {
      throw new AppError(
        'STACK_START_FAILED',
        `${what} was not ready after ${Math.round(options.timeoutMs / 1000)} s${last ? ` (last error: ${last})` : ''}.${tail(options.logFile)}`,
      );
    }
    await delay(options.intervalMs ?? 500);
  }
}

function tail(logFile: string | undefined, lines = 15): string {
  if (!logFile || !existsSync(logFile)) return '';
  const text = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n  ');
  return `\n  Last lines of ${logFile}:\n  ${text}`;
}

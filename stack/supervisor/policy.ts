/**
 * When a supervised process that exited is started again, as compose's `restart: unless-stopped` would:
 * at once-ish after a crash, backing off while it keeps crashing, and from scratch once it has stayed up.
 */
export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as healthy: the next crash starts the backoff over. */
  healthyAfterMs: number;
  /** A first run shorter than this is a start-up failure (bad config, missing file): reported, not retried. */
  startupGraceMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
  startupGraceMs: 5_000,
};

export type RestartDecision = { restart: true; delayMs: number; streak: number } | { restart: false; why: string };

/**
 * What to do after an exit. `streak` is the number of crashes in a row without a healthy run between them
 * (before this one); `firstRun` is whether the process that exited was the first one started.
 */
export function afterExit(
  exit: { ranMs: number; stopping: boolean; firstRun: boolean },
  streak: number,
  policy: RestartPolicy = defaultRestartPolicy,
): RestartDecision {
  if (exit.stopping) return { restart: false, why: 'asked to stop' };
  if (exit.firstRun && exit.ranMs < policy.startupGraceMs) {
    return { restart: false, why: `it failed during start-up (after ${exit.ranMs} ms)` };
  }
  const next = exit.ranMs >= policy.healthyAfterMs ? 1 : streak + 1;
  const delayMs = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (next - 1));
  return { restart: true, delayMs, streak: next };
}

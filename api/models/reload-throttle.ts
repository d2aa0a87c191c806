import type { ModelStore, ReloadOutcome } from './model-store';

export interface ThrottledReload {
  outcomes: ReloadOutcome[];
  /** false: answered from the reload that started at `at`, less than the minimum interval ago. */
  rerun: boolean;
  /** When the reload these outcomes come from started (ISO 8601). */
  at: string;
}

/**
 * The open `GET /reload` must not become a way to hammer MLflow: it reaches the registry at most once per
 * `minIntervalMs`, and in between answers with the outcome of the last reload (still in flight or done).
 * `now()` reloads at once (the keyed `POST /reload`) and is remembered as the last one too. A reload that
 * fails is not remembered, so the next call tries again.
 */
export function throttleReload(store: Pick<ModelStore, 'reload'>, minIntervalMs: number, clock = Date.now) {
  let last: { startedMs: number; outcomes: Promise<ReloadOutcome[]> } | undefined;

  async function start(): Promise<ThrottledReload> {
    const started = { startedMs: clock(), outcomes: store.reload() };
    last = started;
    try {
      return { outcomes: await started.outcomes, rerun: true, at: new Date(started.startedMs).toISOString() };
    } catch (err) {
      if (last === started) last = undefined;
      throw err;
    }
  }

  return {
    now: start,
    async atMostOncePerInterval(): Promise<ThrottledReload> {
      const recent = last;
      if (!recent || clock() - recent.startedMs >= minIntervalMs) return start();
      return { outcomes: await recent.outcomes, rerun: false, at: new Date(recent.startedMs).toISOString() };
    },
  };
}

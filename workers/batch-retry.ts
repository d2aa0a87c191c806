import type { EachBatchPayload } from 'kafkajs';

/**
 * The pause before a failed batch is handed back to kafkajs for a retry: `initialMs` doubled per failure in
 * a row, at most `maxMs`, heartbeating each second so the group keeps the consumer while a dependency is away.
 */
export async function pauseBeforeRetry(
  payload: Pick<EachBatchPayload, 'isRunning' | 'heartbeat'>,
  failures: number,
  pause: { initialMs: number; maxMs: number },
): Promise<void> {
  const until = Date.now() + Math.min(pause.maxMs, pause.initialMs * 2 ** Math.min(failures - 1, 20));
  while (Date.now() < until && payload.isRunning()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, until - Date.now())));
    await payload.heartbeat().catch(() => undefined);
  }
}

import type { Logger } from '../../adapters/logger';

export interface StreamTotals {
  consumed: number;
  stored: number;
  deadLettered: number;
}

/**
 * Counts what the processor does and logs it every `intervalMs`: throughput over the last interval,
 * readings stored, records dead-lettered, and the consumer lag per partition (high watermark minus the
 * next offset to process, as of the last chunk).
 */
export function createThroughputLog(logger: Logger, intervalMs = 5000) {
  const totals: StreamTotals = { consumed: 0, stored: 0, deadLettered: 0 };
  const lag = new Map<string, number>();
  let windowStart = Date.now();
  let windowConsumed = 0;
  let timer: NodeJS.Timeout | undefined;

  const report = () => {
    const seconds = (Date.now() - windowStart) / 1000;
    logger.info(
      {
        msgPerSec: seconds > 0 ? Math.round(windowConsumed / seconds) : 0,
        ...totals,
        lag: [...lag.values()].reduce((a, b) => a + b, 0),
        lagByPartition: Object.fromEntries(lag),
      },
      'stream processor throughput',
    );
    windowStart = Date.now();
    windowConsumed = 0;
  };

  return {
    totals: (): StreamTotals => ({ ...totals }),
    record(chunk: StreamTotals & { topic: string; partition: number; lag: number }) {
      totals.consumed += chunk.consumed;
      totals.stored += chunk.stored;
      totals.deadLettered += chunk.deadLettered;
      windowConsumed += chunk.consumed;
      lag.set(`${chunk.topic}/${chunk.partition}`, chunk.lag);
    },
    start() {
      timer ??= setInterval(report, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      report();
    },
  };
}

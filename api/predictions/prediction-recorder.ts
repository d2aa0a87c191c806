import type { Logger } from '../../adapters/logger';
import type { LoggedPrediction } from '../../core/monitoring/accuracy/predictions';

/**
 * Sends what the API predicts for real hours (GET /forecast) to the prediction log without making a request
 * wait for the database: predictions are gathered and written together every `flushMs`. A failed write is
 * logged and dropped (live accuracy loses a row; the caller got their forecast), and past `maxRows` waiting,
 * new ones are dropped and counted, so a database away can never grow the process's memory without bound.
 */
export interface PredictionRecorder {
  record(prediction: LoggedPrediction): void;
  /** Writes what is waiting now (shutdown, tests). */
  flush(): Promise<void>;
}

export function createPredictionRecorder(deps: {
  write: (rows: readonly LoggedPrediction[]) => Promise<unknown>;
  logger: Pick<Logger, 'warn'>;
  flushMs?: number;
  maxRows?: number;
}): PredictionRecorder {
  const flushMs = deps.flushMs ?? 1000;
  const maxRows = deps.maxRows ?? 10_000;
  let waiting: LoggedPrediction[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const writeWaiting = async (): Promise<void> => {
    const rows = waiting;
    waiting = [];
    if (dropped > 0) {
      deps.logger.warn({ dropped }, 'prediction log: predictions dropped while the buffer was full');
      dropped = 0;
    }
    if (rows.length === 0) return;
    try {
      await deps.write(rows);
    } catch (err) {
      deps.logger.warn({ err, rows: rows.length }, 'prediction log: write failed, predictions dropped');
    }
  };
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    // One write at a time, in order.
    writing = writing.then(writeWaiting);
    return writing;
  };
  return {
    record(prediction) {
      if (!Number.isFinite(prediction.predicted)) return;
      if (waiting.length >= maxRows) {
        dropped += 1;
        return;
      }
      waiting.push(prediction);
      if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
    },
    flush,
  };
}

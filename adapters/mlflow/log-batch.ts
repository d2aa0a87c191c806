import { AppError } from '../../core/errors';

/**
 * Splits what a run logs into `runs/log-batch` bodies MLflow accepts. The limits are MLflow's own
 * (mlflow/utils/validation.py, 3.17): per request ≤ 1000 metrics, ≤ 100 params, ≤ 100 tags, ≤ 1000 items in
 * all; keys ≤ 250 characters; MLflow silently truncates param values past 6000 characters and tag values
 * past 8000, so longer ones are refused here, before anything is sent, rather than stored cut.
 */

export const logBatchLimits = {
  metrics: 1000,
  params: 100,
  tags: 100,
  items: 1000,
  /** MLflow's nominal request-size limit is 1 MB; this leaves room for the envelope. */
  bodyBytes: 900_000,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
} as const;

export interface LogBatchInput {
  params?: Record<string, string | number>;
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
  /** Milliseconds since the epoch for every metric; now by default. */
  timestamp?: number;
  step?: number;
}

interface KeyValue {
  key: string;
  value: string;
}
/** MLflow's JSON reads non-finite doubles as "NaN", "Infinity", "-Infinity" (JSON.stringify would send null). */
interface Metric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface LogBatchBody {
  params: KeyValue[];
  tags: KeyValue[];
  metrics: Metric[];
}

type Kind = keyof LogBatchBody;

export function planLogBatches(input: LogBatchInput, now: number = Date.now()): LogBatchBody[] {
  const params = Object.entries(input.params ?? {}).map(([key, value]) => ({ key, value: String(value) }));
  const tags = Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value }));
  const timestamp = input.timestamp ?? now;
  const step = input.step ?? 0;
  const metrics = Object.entries(input.metrics ?? {}).map(([key, value]) => ({
    key,
    value: Number.isFinite(value) ? value : String(value),
    timestamp,
    step,
  }));
  params.forEach((p) => checkEntry('param', p.key, p.value, logBatchLimits.paramValueLength));
  tags.forEach((t) => checkEntry('tag', t.key, t.value, logBatchLimits.tagValueLength));
  metrics.forEach((m) => checkEntry('metric', m.key));

  // Each request takes as many params and tags as allowed, then fills up with metrics.
  const pending: Record<Kind, (KeyValue | Metric)[]> = { params, tags, metrics };
  const next: Record<Kind, number> = { params: 0, tags: 0, metrics: 0 };
  const batches: LogBatchBody[] = [];
  while (kinds.some((kind) => next[kind] < pending[kind].length)) {
    const batch: LogBatchBody = { params: [], tags: [], metrics: [] };
    let items = 0;
    let bytes = 0;
    for (const kind of kinds) {
      const taken: (KeyValue | Metric)[] = batch[kind];
      while (next[kind] < pending[kind].length && taken.length < logBatchLimits[kind] && items < logBatchLimits.items) {
        const item = pending[kind][next[kind]] as KeyValue | Metric;
        const size = Buffer.byteLength(JSON.stringify(item)) + 1;
        // The first item always goes in, so every request makes progress.
        if (items > 0 && bytes + size > logBatchLimits.bodyBytes) break;
        taken.push(item);
        next[kind] += 1;
        items += 1;
        bytes += size;
      }
    }
    batches.push(batch);
  }
  return batches;
}

const kinds: readonly Kind[] = ['params', 'tags', 'metrics'];

/** MLflow counts characters as Python does: in code points. */
function checkEntry(kind: 'param' | 'tag' | 'metric', key: string, value = '', valueLimit = 0): void {
  const keyLength = [...key].length;
  if (keyLength === 0 || keyLength > logBatchLimits.keyLength) {
    throw new AppError(
      'MLFLOW_INVALID_INPUT',
      `${kind} "${key.slice(0, 50)}": MLflow keys are 1 to ${logBatchLimits.keyLength} characters`,
    );
  }
  const valueLength = [...value].length;
  if (valueLength > valueLimit) {
    throw new AppError(
      'MLFLOW_INVALID_INPUT',
      `${kind} "${key}" is ${valueLength} characters long; MLflow would cut it to ${valueLimit}`,
    );
  }
}

import { parentPort, workerData } from 'node:worker_threads';

import type { LocationSeries } from '../../core/ml/dataset';
import { buildExamples, featureSpecFor } from '../../core/ml/features';
import { trainingParams, trainModel, type Algorithm } from '../../core/ml/models';
import { chronologicalSplit } from '../../core/ml/split';

import type { SplitWindows } from './types';

/**
 * The body of a training run, executed in a worker thread (see in-thread.ts): tree training is synchronous
 * and takes tens of seconds, and the activity's heartbeats must keep flowing from the main thread meanwhile.
 */
export interface TrainJob {
  series: LocationSeries[];
  kind: 'instant' | 'forecast';
  horizonHours: number;
  windows: SplitWindows;
  algorithm: Algorithm;
  params: unknown;
}

export type TrainMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; modelJson: string; trainRows: number; seconds: number; featureNames: string[] }
  | { type: 'error'; message: string };

export function runTrainJob(job: TrainJob, progress: (done: number, total: number) => void) {
  const spec = featureSpecFor(job.kind, job.horizonHours);
  const { train } = chronologicalSplit(buildExamples(job.series, spec), job.windows);
  const started = performance.now();
  const model = trainModel(job.algorithm, train, trainingParams.parse(job.params), progress);
  return {
    modelJson: JSON.stringify(model.toJSON()),
    trainRows: train.y.length,
    seconds: (performance.now() - started) / 1000,
    featureNames: spec.names,
  };
}

const job = (workerData as { trainJob?: TrainJob } | null)?.trainJob;
if (parentPort && job) {
  const port = parentPort;
  try {
    const result = runTrainJob(job, (done, total) => port.postMessage({ type: 'progress', done, total }));
    port.postMessage({ type: 'done', ...result } satisfies TrainMessage);
  } catch (err) {
    port.postMessage({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
    } satisfies TrainMessage);
  }
}

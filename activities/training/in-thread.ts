import path from 'node:path';
import { Worker } from 'node:worker_threads';

import { AppError } from '../../core/errors';

import type { TrainJob, TrainMessage } from './train-thread';

type TrainResult = Extract<TrainMessage, { type: 'done' }>;

/**
 * Runs a training job in a worker thread and resolves with the model. The calling thread stays free, so
 * the activity's heartbeats (sent on each progress message) reach Temporal during long training, and a
 * cancelled activity can terminate the thread. Under tsx (development, tests) the thread registers tsx
 * first; compiled code (dist/) loads the .js sibling directly.
 */
export function trainInThread(
  job: TrainJob,
  onProgress: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<TrainResult> {
  const entry = path.join(__dirname, `train-thread${path.extname(__filename)}`);
  const source = `${__filename.endsWith('.ts') ? "require('tsx/cjs/api').register();\n" : ''}require(${JSON.stringify(entry)});`;
  const worker = new Worker(source, { eval: true, workerData: { trainJob: job } });
  return new Promise<TrainResult>((resolve, reject) => {
    const abort = () => void worker.terminate();
    signal?.addEventListener('abort', abort, { once: true });
    const settle = () => signal?.removeEventListener('abort', abort);
    worker.on('message', (message: TrainMessage) => {
      if (message.type === 'progress') onProgress(message.done, message.total);
      else if (message.type === 'done') {
        settle();
        resolve(message);
        void worker.terminate();
      } else {
        settle();
        reject(new AppError('TRAINING_FAILED', message.message, { operational: false }));
        void worker.terminate();
      }
    });
    worker.on('error', (err) => {
      settle();
      reject(err);
    });
    worker.on('exit', (code) => {
      settle();
      reject(new AppError('TRAINING_FAILED', `the training thread exited (code ${code}) before finishing`));
    });
  });
}

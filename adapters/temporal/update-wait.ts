import { isGrpcDeadlineError, type Client } from '@temporalio/client';

import { AppError } from '../../core/errors';

/** The default wait for a worker's answer to an update, when the caller does not say (TEMPORAL_UPDATE_WAIT_SECONDS). */
export const defaultUpdateWaitMs = 60_000;

/**
 * Runs a workflow update (and the calls around it) with a deadline. An update is answered by a worker: with
 * none polling the task queue, the server holds the request and the client would wait for ever. Past the
 * deadline the caller gets a 503 that says so, and that the action may still be taken when a worker comes
 * back (the server keeps an admitted update until its workflow's next task), so it should look before
 * repeating it.
 */
export async function answeredWithin<T>(
  client: Client,
  waitMs: number,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + waitMs, fn);
  } catch (err) {
    if (!isGrpcDeadlineError(err)) throw err;
    throw new AppError(
      'NO_WORKER_ANSWER',
      `no worker answered ${what} within ${waitMs / 1000} s: is the pipeline worker running? ` +
        'The action was not confirmed and may still be taken when a worker picks the workflow up; check its status before repeating it.',
      { httpStatus: 503, operational: true, cause: err },
    );
  }
}

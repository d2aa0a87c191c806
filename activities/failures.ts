import { ApplicationFailure } from '@temporalio/activity';

import { AppError } from '../core/errors';

/** Failures that no retry can fix: bad input, a refusal from the source, a model lifecycle precondition. */
const permanent = new Set([
  'OPEN_METEO_ERROR',
  'UNKNOWN_LOCATION',
  'SOURCE_NOT_COVERED',
  'OPEN_METEO_SHAPE',
  'OPEN_METEO_UNIT',
  'EMPTY_TRAINING_SET',
  'DATASET_MISMATCH',
  'INVALID_MODEL',
  'NOTHING_TO_ROLL_BACK',
  'INVALID_DAY',
  'INVALID_ALERT',
]);

/**
 * Runs an activity body, turning a permanent AppError into a non-retryable ApplicationFailure typed by its
 * code, so Temporal stops retrying at once and the workflow sees why.
 */
export async function failFastOnPermanent<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof AppError && permanent.has(err.code)) {
      throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true, cause: err });
    }
    throw err;
  }
}

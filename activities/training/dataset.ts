import { createHash } from 'node:crypto';

import { Context } from '@temporalio/activity';
import { z } from 'zod';

import type { MlflowClient } from '../../adapters/mlflow/client';
import { reading } from '../../core/air-quality/reading';
import { AppError } from '../../core/errors';
import type { LocationSeries } from '../../core/ml/dataset';
import type { TrainingSetRepository } from '../repositories';

import type { DatasetRef, TrainingRunRef } from './types';

/** Where a training run stores its dataset snapshot, relative to the run's artifact root. */
export const snapshotPath = 'dataset/snapshot.json';

const snapshot = z.object({
  version: z.literal(1),
  from: z.string(),
  to: z.string(),
  locations: z.array(z.object({ locationId: z.string(), readings: z.array(reading) })),
});

/**
 * Extract: reads the window from PostgreSQL and stores it as a run artifact with its sha256, so training,
 * evaluation and anyone auditing later see the very same rows. Re-running overwrites the same bytes.
 */
export async function extractDataset(
  deps: { trainingSet: TrainingSetRepository; mlflow: MlflowClient },
  input: { run: TrainingRunRef; locationIds: string[]; from: string; to: string },
): Promise<DatasetRef> {
  const locations = await deps.trainingSet.load(input.locationIds, input.from, input.to);
  const rows = locations.reduce((n, l) => n + l.readings.length, 0);
  if (rows === 0) {
    throw new AppError(
      'EMPTY_TRAINING_SET',
      `no stored readings for ${input.locationIds.join(', ')} in [${input.from}, ${input.to}): backfill the range first`,
      { operational: true },
    );
  }
  const body = JSON.stringify({ version: 1, from: input.from, to: input.to, locations });
  const sha256 = createHash('sha256').update(body).digest('hex');
  Context.current().heartbeat({ rows });
  await deps.mlflow.uploadArtifact(input.run, snapshotPath, body, 'application/json');
  return { artifactPath: snapshotPath, sha256, rows, from: input.from, to: input.to, locationIds: input.locationIds };
}

/** Downloads a snapshot and checks it is the one extracted (same sha256) before anything trains on it. */
export async function loadDataset(
  mlflow: MlflowClient,
  run: TrainingRunRef,
  ref: DatasetRef,
): Promise<LocationSeries[]> {
  const bytes = await mlflow.downloadArtifact(run, ref.artifactPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== ref.sha256) {
    throw new AppError('DATASET_MISMATCH', `dataset ${ref.artifactPath} has sha256 ${sha256}, expected ${ref.sha256}`);
  }
  const parsed = snapshot.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  return parsed.locations;
}

import { createHash } from 'node:crypto';

import { Context } from '@temporalio/activity';

import type { MlflowClient } from '../../adapters/mlflow/client';
import { modelArtifactDir, modelArtifactPath } from '../../adapters/mlflow/model-artifact';
import { modelDirectoryFiles } from '../../adapters/mlflow/model-directory';
import { featureSpecFor } from '../../core/ml/features';
import { trainingParams } from '../../core/ml/models';

import { loadDataset } from './dataset';
import { trainInThread } from './in-thread';
import type { CandidateSpec, DatasetRef, SplitWindows, TrainedCandidate, TrainingRunRef } from './types';

/**
 * Train: fits the candidate on the training window of the snapshot and stores it as run artifacts (the
 * model JSON, its feature spec, the Python scorer of the `python_function` flavor with its environment
 * files, an MLmodel file with both flavors and the signature). Seeded, so a retried attempt after a
 * crash trains the same model again from scratch and overwrites the same artifacts with the same bytes.
 * Training runs in a worker thread so heartbeats (trees done) keep flowing; the training worker runs one
 * of these at a time.
 */
export async function trainCandidate(
  mlflow: MlflowClient,
  input: { run: TrainingRunRef; dataset: DatasetRef; candidate: CandidateSpec; windows: SplitWindows },
): Promise<TrainedCandidate> {
  const context = Context.current();
  const series = await loadDataset(mlflow, input.run, input.dataset);
  const spec = featureSpecFor(input.candidate.kind, input.candidate.horizonHours);
  const trained = await trainInThread(
    {
      series,
      kind: input.candidate.kind,
      horizonHours: input.candidate.horizonHours,
      windows: input.windows,
      algorithm: input.candidate.algorithm,
      params: input.candidate.params,
    },
    (done, total) => context.heartbeat({ stage: 'training', done, total }),
    context.cancellationSignal,
  );
  const trainSeconds = trained.seconds;
  const params = trainingParams.parse(input.candidate.params);
  context.log.info('candidate trained', {
    model: input.candidate.modelName,
    rows: trained.trainRows,
    seconds: Number(trainSeconds.toFixed(1)),
  });

  const json = trained.modelJson;
  const run = input.run;
  const files = modelDirectoryFiles({
    runId: run.runId,
    artifactPath: modelArtifactDir,
    createdAt: new Date(),
    modelJson: json,
    spec,
  });
  for (const file of files) {
    await mlflow.uploadArtifact(run, `${modelArtifactDir}/${file.path}`, file.content, file.contentType);
  }
  await mlflow.logBatch(run.runId, {
    params: {
      algorithm: input.candidate.algorithm,
      kind: spec.kind,
      horizon_hours: spec.horizonHours,
      feature_spec_version: spec.version,
      features: spec.names.length,
      target: `${spec.target.variable} (${spec.target.method})`,
      dataset_sha256: input.dataset.sha256,
      locations: input.dataset.locationIds.join(','),
      train_from: input.dataset.from,
      validation_from: input.windows.validationFrom,
      test_from: input.windows.testFrom,
      test_to: input.windows.testTo,
      ...flatten('param', params),
    },
    metrics: { train_rows: trained.trainRows, train_seconds: trainSeconds },
  });
  return {
    modelPath: modelArtifactPath,
    modelSha256: createHash('sha256').update(json).digest('hex'),
    trainRows: trained.trainRows,
    trainSeconds,
    featureNames: spec.names,
  };
}

/** Hyper-parameters as flat MLflow params (`param.nEstimators`, `param.treeOptions.maxDepth`, …). */
function flatten(prefix: string, value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return { [prefix]: String(value) };
  return Object.assign(
    {},
    ...Object.entries(value as Record<string, unknown>).map(([k, v]) => flatten(`${prefix}.${k}`, v)),
  ) as Record<string, string>;
}

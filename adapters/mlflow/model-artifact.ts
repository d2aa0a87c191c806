import { loadModel, type Model } from '../../core/ml/models';

import type { ArtifactRun, MlflowClient } from './client';

/** Where a training run stores its model: the model version's source is `<artifact uri>/model`. */
export const modelArtifactDir = 'model';
export const modelFile = 'model.json';
export const modelArtifactPath = `${modelArtifactDir}/${modelFile}`;

/** Downloads a run's model JSON and loads it (zod-validated): how evaluation and serving read a model. */
export async function downloadModel(
  mlflow: MlflowClient,
  run: ArtifactRun,
  path: string = modelArtifactPath,
): Promise<Model> {
  const bytes = await mlflow.downloadArtifact(run, path);
  return loadModel(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

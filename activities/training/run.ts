import type { MlflowClient } from '../../adapters/mlflow/client';

import type { CandidateSpec, TrainingRunRef } from './types';

/**
 * Opens the MLflow run of a training pipeline, or finds the one an earlier attempt opened: runs are tagged
 * with the workflow id, so a retried activity never creates a second run.
 */
export async function openTrainingRun(
  mlflow: MlflowClient,
  input: { experiment: string; workflowId: string; candidate: CandidateSpec; gitCommit?: string },
): Promise<TrainingRunRef> {
  const experimentId = await mlflow.getOrCreateExperiment(input.experiment);
  const [existing] = await mlflow.findRunsByTag(experimentId, 'aqi.workflow_id', input.workflowId);
  const run =
    existing ??
    (await mlflow.createRun({
      experimentId,
      runName: `${input.candidate.modelName}-${input.candidate.algorithm}`,
      startTime: Date.now(),
      tags: {
        'aqi.workflow_id': input.workflowId,
        'aqi.model_name': input.candidate.modelName,
        'aqi.kind': input.candidate.kind,
        'aqi.horizon_hours': String(input.candidate.horizonHours),
        ...(input.gitCommit ? { 'mlflow.source.git.commit': input.gitCommit } : {}),
      },
    }));
  return { runId: run.runId, experimentId: run.experimentId, artifactUri: run.artifactUri };
}

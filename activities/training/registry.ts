import type { MlflowClient } from '../../adapters/mlflow/client';
import { modelArtifactDir } from '../../adapters/mlflow/model-artifact';
import { AppError } from '../../core/errors';
import { modelAliases } from '../../core/training/promotion';

import type { EvaluationSummary } from './evaluate';
import type { CandidateSpec, DatasetRef, TrainingRunRef } from './types';

/**
 * Register: one model version per training run (found again by run id on a retry), with its lineage as
 * tags, and the alias `challenger` on it. Closes the MLflow run.
 */
export async function registerChallenger(
  mlflow: MlflowClient,
  input: {
    run: TrainingRunRef;
    candidate: CandidateSpec;
    dataset: DatasetRef;
    evaluation: EvaluationSummary;
    qualityReportId: number;
    workflowId: string;
    gitCommit?: string;
  },
): Promise<{ version: string }> {
  const { modelName } = input.candidate;
  await mlflow.createRegisteredModel(modelName, {
    description: `European AQI, ${input.candidate.kind === 'instant' ? 'nowcast from five instant pollutants' : `+${input.candidate.horizonHours} h forecast from stored history`}`,
  });
  const [existing] = await mlflow.searchModelVersions(`name='${modelName}' and run_id='${input.run.runId}'`);
  const version =
    existing ??
    (await mlflow.createModelVersion({
      name: modelName,
      source: `${input.run.artifactUri}/${modelArtifactDir}`,
      runId: input.run.runId,
      description: `trained by workflow ${input.workflowId}`,
      tags: {
        'aqi.dataset_sha256': input.dataset.sha256,
        'aqi.dataset_rows': String(input.dataset.rows),
        'aqi.dataset_range': `${input.dataset.from}/${input.dataset.to}`,
        'aqi.quality_report_id': String(input.qualityReportId),
        'aqi.workflow_id': input.workflowId,
        'aqi.git_commit': input.gitCommit ?? 'unknown',
        'aqi.algorithm': input.candidate.algorithm,
        'aqi.kind': input.candidate.kind,
        'aqi.horizon_hours': String(input.candidate.horizonHours),
        'aqi.holdout_mae': input.evaluation.candidate.mae.toFixed(4),
        'aqi.baseline_mae': input.evaluation.baseline.metrics.mae.toFixed(4),
      },
    }));
  await mlflow.setAlias(modelName, modelAliases.challenger, version.version);
  await mlflow.finishRun(input.run.runId, 'FINISHED');
  return { version: version.version };
}

/**
 * Promote: `champion` moves to the version and the old champion becomes `previous`. Idempotent: when the
 * version already is champion (a retry, a second approval), nothing moves.
 */
export async function promoteChampion(
  mlflow: MlflowClient,
  input: { modelName: string; version: string },
): Promise<{ previousVersion?: string; changed: boolean }> {
  const { modelName, version } = input;
  const current = await mlflow.getVersionByAlias(modelName, modelAliases.champion);
  if (current?.version === version) {
    const previous = await mlflow.getVersionByAlias(modelName, modelAliases.previous);
    return { ...(previous ? { previousVersion: previous.version } : {}), changed: false };
  }
  if (current) await mlflow.setAlias(modelName, modelAliases.previous, current.version);
  await mlflow.setAlias(modelName, modelAliases.champion, version);
  const challenger = await mlflow.getVersionByAlias(modelName, modelAliases.challenger);
  if (challenger?.version === version) await mlflow.deleteAlias(modelName, modelAliases.challenger);
  return { ...(current ? { previousVersion: current.version } : {}), changed: true };
}

export interface ChampionAliases {
  champion?: string;
  previous?: string;
}

export async function readAliases(mlflow: MlflowClient, modelName: string): Promise<ChampionAliases> {
  const [champion, previous] = await Promise.all([
    mlflow.getVersionByAlias(modelName, modelAliases.champion),
    mlflow.getVersionByAlias(modelName, modelAliases.previous),
  ]);
  return { ...(champion ? { champion: champion.version } : {}), ...(previous ? { previous: previous.version } : {}) };
}

/**
 * Rollback: `champion` goes back to `from.previous` and the demoted version becomes `previous` (so a
 * rollback can itself be undone). Idempotent: once champion is the target, nothing moves.
 */
export async function rollbackChampion(
  mlflow: MlflowClient,
  input: { modelName: string; from: ChampionAliases },
): Promise<{ champion: string; demoted: string }> {
  const { modelName, from } = input;
  if (!from.champion || !from.previous) {
    throw new AppError(
      'NOTHING_TO_ROLL_BACK',
      `${modelName} has ${from.champion ? 'no previous version' : 'no champion'} to roll back to`,
      { operational: true, httpStatus: 409 },
    );
  }
  const current = await mlflow.getVersionByAlias(modelName, modelAliases.champion);
  if (current?.version !== from.previous) {
    await mlflow.setAlias(modelName, modelAliases.champion, from.previous);
    await mlflow.setAlias(modelName, modelAliases.previous, from.champion);
  }
  return { champion: from.previous, demoted: from.champion };
}

/** The decision as model-version tags, beside the audit row, so MLflow's UI shows it too. */
export async function tagDecision(
  mlflow: MlflowClient,
  input: { modelName: string; version: string; decision: string; approver?: string; comment?: string; at: string },
): Promise<void> {
  const tags: Record<string, string> = {
    'aqi.decision': input.decision,
    'aqi.decided_at': input.at,
    ...(input.approver ? { 'aqi.decided_by': input.approver } : {}),
    ...(input.comment ? { 'aqi.decision_comment': input.comment.slice(0, 4000) } : {}),
  };
  for (const [key, value] of Object.entries(tags)) {
    await mlflow.setModelVersionTag(input.modelName, input.version, key, value);
  }
}

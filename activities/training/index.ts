import { Context } from '@temporalio/activity';

import type { MlflowClient } from '../../adapters/mlflow/client';
import type { PromotionRecord } from '../../adapters/postgres/promotions';
import type { PromotionsRepository, TrainingSetRepository } from '../repositories';

import { extractDataset } from './dataset';
import { deployToApi } from './deploy';
import { evaluateCandidate } from './evaluate';
import { promoteChampion, readAliases, registerChallenger, rollbackChampion, tagDecision } from './registry';
import { openTrainingRun } from './run';
import { trainCandidate } from './train';
import type { CandidateSpec, TrainingRunRef } from './types';

export interface TrainingDeps {
  trainingSet: TrainingSetRepository;
  promotions: PromotionsRepository;
  mlflow: MlflowClient;
  /** `apiKey`: a key with the `models` permission, so the deploy step's reload is never answered from cache. */
  training: { experiment: string; apiUrl: string; apiKey?: string; gitCommit?: string };
}

const workflowId = (): string => {
  const execution = Context.current().info.workflowExecution as { workflowId: string } | undefined;
  if (!execution) throw new Error('training activities run inside a workflow');
  return execution.workflowId;
};

/** The CPU-bound steps, run by the training worker on its own task queue (one at a time). */
export function createTrainingComputeActivities({ mlflow }: Pick<TrainingDeps, 'mlflow'>) {
  return {
    trainCandidate: (input: Parameters<typeof trainCandidate>[1]) => trainCandidate(mlflow, input),
    evaluateCandidate: (input: Parameters<typeof evaluateCandidate>[1]) => evaluateCandidate(mlflow, input),
  };
}

/** The registry, audit and deploy steps of the model lifecycle, run by the pipeline worker. */
export function createTrainingActivities({ trainingSet, promotions, mlflow, training }: TrainingDeps) {
  return {
    openTrainingRun: (input: { candidate: CandidateSpec }) =>
      openTrainingRun(mlflow, {
        experiment: training.experiment,
        workflowId: workflowId(),
        candidate: input.candidate,
        ...(training.gitCommit ? { gitCommit: training.gitCommit } : {}),
      }),
    extractDataset: (input: Parameters<typeof extractDataset>[1]) => extractDataset({ trainingSet, mlflow }, input),
    registerChallenger: (input: Omit<Parameters<typeof registerChallenger>[1], 'workflowId' | 'gitCommit'>) =>
      registerChallenger(mlflow, {
        ...input,
        workflowId: workflowId(),
        ...(training.gitCommit ? { gitCommit: training.gitCommit } : {}),
      }),
    /** Marks an MLflow run that will not produce a registered version (evaluation rejected it, or it failed). */
    closeTrainingRun: async (input: { run: TrainingRunRef; status: 'FINISHED' | 'FAILED'; outcome: string }) => {
      await mlflow.logBatch(input.run.runId, { tags: { 'aqi.outcome': input.outcome } });
      await mlflow.finishRun(input.run.runId, input.status);
    },
    promoteChampion: (input: { modelName: string; version: string }) => promoteChampion(mlflow, input),
    readAliases: (input: { modelName: string }) => readAliases(mlflow, input.modelName),
    rollbackChampion: (input: Parameters<typeof rollbackChampion>[1]) => rollbackChampion(mlflow, input),
    /** Audit: the decision in `model_promotions` (once per workflow run and decision) and as version tags. */
    recordDecision: async (input: Omit<PromotionRecord, 'workflowId'>) => {
      const id = await promotions.record({ ...input, workflowId: workflowId() });
      if (input.modelVersion === undefined) return id;
      await tagDecision(mlflow, {
        modelName: input.modelName,
        version: input.modelVersion,
        decision: input.decision,
        at: input.decidedAt,
        ...(input.approver ? { approver: input.approver } : {}),
        ...(input.comment ? { comment: input.comment } : {}),
      });
      return id;
    },
    deployToApi: (input: { modelName: string; version: string }) =>
      deployToApi({ url: training.apiUrl, key: training.apiKey }, input),
  };
}

export type TrainingActivities = ReturnType<typeof createTrainingActivities>;
export type TrainingComputeActivities = ReturnType<typeof createTrainingComputeActivities>;

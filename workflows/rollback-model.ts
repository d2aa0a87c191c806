/**
 * rollbackModel: puts the previous champion back in production.
 *   1. Read the aliases (`champion`, `previous`) once, so retries act on what the operator saw.
 *   2. Move `champion` back to `previous`; the demoted version becomes `previous`.
 *   3. Audit the rollback (table `model_promotions`, model-version tags).
 *   4. Tell the API to reload (reported, not fatal: the API also polls the aliases).
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';

import type { TrainingActivities } from '../activities/training';
import { searchAttributes } from '../temporal/search-attributes';

import { deploy } from './training-pipeline';

export interface RollbackModelInput {
  modelName: string;
  requestedBy: string;
  reason?: string;
}

export interface RollbackModelResult {
  modelName: string;
  champion: string;
  demoted: string;
  deploy: { confirmed: boolean; detail: string };
}

const lifecycle = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export async function rollbackModel(input: RollbackModelInput): Promise<RollbackModelResult> {
  upsertSearchAttributes([
    { key: searchAttributes.pipeline, value: 'rollbackModel' },
    { key: searchAttributes.stage, value: 'rolling_back' },
  ]);
  const from = await lifecycle.readAliases({ modelName: input.modelName });
  const moved = await lifecycle.rollbackChampion({ modelName: input.modelName, from });
  await lifecycle.recordDecision({
    modelName: input.modelName,
    modelVersion: moved.champion,
    previousVersion: moved.demoted,
    decision: 'rolled_back',
    approver: input.requestedBy,
    decidedAt: new Date().toISOString(),
    ...(input.reason ? { comment: input.reason } : {}),
  });
  upsertSearchAttributes([
    { key: searchAttributes.modelVersion, value: `${input.modelName}/${moved.champion}` },
    { key: searchAttributes.stage, value: 'rolled_back' },
  ]);
  return { modelName: input.modelName, ...moved, deploy: await deploy(input.modelName, moved.champion) };
}

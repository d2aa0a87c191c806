import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Client } from '@temporalio/client';

import { createPool } from '../adapters/postgres/pool';
import { listPromotions } from '../adapters/postgres/promotions';
import { workflowUrl } from '../adapters/temporal/client';
import { sendApproval, startTraining } from '../adapters/temporal/pipeline-runs';
import { startOrJoin } from '../adapters/temporal/start-or-join';
import type { Config } from '../config';
import { repoRoot } from '../config/runtime';
import { trainingRequest } from '../core/training/request';
import type { PromotionStatus, TrainingPipelineResult } from '../workflows/training-pipeline';

type Values = Record<string, string | boolean | undefined>;

/** The Temporal CLI the embedded stack installed (the same `temporal` as any other install). */
function temporalCli(config: Config): string {
  const installed = path.resolve(repoRoot, config.toolsDir, 'venvs', 'temporal', 'bin', 'temporal');
  return existsSync(installed) ? path.relative(process.cwd(), installed) || installed : 'temporal';
}

/** How a person decides on a challenger: the three equivalent ways. */
export function approvalInstructions(config: Config, workflowId: string): string[] {
  const input = JSON.stringify({ approver: 'your-name', decision: 'approve', comment: 'holdout looks right' });
  return [
    `Web UI: ${workflowUrl(config, workflowId)}  → "Send a Signal", name approvePromotion, input ${input}`,
    `CLI:    ${temporalCli(config)} workflow signal --address ${config.temporal.address} --namespace ${config.temporal.namespace} --workflow-id ${workflowId} --name approvePromotion --input '${input}'`,
    `        (or: npx airq approve ${workflowId} --approver your-name)`,
    `API:    curl -X POST ${config.api.url}/pipelines/${workflowId}/approval -H 'Authorization: Bearer <api key>' -H 'Content-Type: application/json' -d '{"decision":"approve","comment":"holdout looks right"}'`,
  ];
}

export async function train(client: Client, config: Config, values: Values): Promise<number> {
  const parsed = trainingRequest.safeParse({
    kind: values.kind ?? 'instant',
    ...(values.horizon ? { horizonHours: Number(values.horizon) } : {}),
    ...(values.algorithm ? { algorithm: values.algorithm } : {}),
    ...(values.params ? { params: JSON.parse(String(values.params)) as unknown } : {}),
    ...(values.locations ? { locationIds: String(values.locations).split(',').filter(Boolean) } : {}),
    ...(values['approval-timeout'] ? { approvalTimeout: values['approval-timeout'] } : {}),
  });
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
    return 2;
  }
  const { workflowId, handle, started, url } = await startTraining(client, config, parsed.data);
  console.log(`${started ? 'started' : 'joined the existing run of'} ${workflowId}\n  ${url}`);
  let announced = false;
  const result = handle.result() as Promise<TrainingPipelineResult>;
  let finished = false;
  void result.finally(() => (finished = true)).catch(() => undefined);
  let lastStage = '';
  while (!finished) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const status = await handle.query<PromotionStatus>('promotionStatus').catch(() => undefined);
    if (status && status.stage !== lastStage) {
      lastStage = status.stage;
      console.log(
        `  stage: ${status.stage}${status.version ? ` (${status.modelName} version ${status.version})` : ''}`,
      );
    }
    if (status?.stage === 'awaiting_approval' && !announced) {
      announced = true;
      const e = status.evaluation;
      if (e) {
        console.log(
          `  holdout MAE ${e.candidate.mae.toFixed(2)} vs ${e.baseline.algorithm} ${e.baseline.metrics.mae.toFixed(2)}${e.champion ? ` vs champion v${e.champion.version} ${e.champion.metrics.mae.toFixed(2)}` : ''}`,
        );
      }
      console.log(`Waiting for approval until ${status.deadline}. Decide with any of:`);
      for (const line of approvalInstructions(config, workflowId)) console.log(`  ${line}`);
      if (values.wait !== true) return 0;
    }
  }
  const final = await result;
  console.log(`outcome: ${final.outcome}${final.version ? ` (${final.modelName} version ${final.version})` : ''}`);
  if (final.deploy) console.log(`  deploy: ${final.deploy.detail}`);
  return final.outcome === 'promoted' || final.outcome === 'rejected' ? 0 : 1;
}

export async function decide(
  client: Client,
  values: Values,
  workflowId: string | undefined,
  decision: 'approve' | 'reject',
) {
  if (!workflowId) throw new Error(`usage: airq ${decision} <workflow id> --approver <name> [--comment …]`);
  const approver = String(values.approver ?? process.env.USER ?? '');
  const payload = { approver, decision, ...(values.comment ? { comment: String(values.comment) } : {}) };
  const { accepted, status } = await sendApproval(client, workflowId, payload);
  console.log(`sent approvePromotion ${JSON.stringify(payload)} to ${workflowId}`);
  if (!accepted) console.log(`  the workflow refused it: ${status.invalidSignals.at(-1)?.reason ?? 'no reason given'}`);
}

export async function rollback(client: Client, config: Config, values: Values, modelName: string | undefined) {
  if (!modelName) throw new Error('usage: airq rollback <model name> --approver <name> [--comment …]');
  const requestedBy = String(values.approver ?? process.env.USER ?? 'operator');
  const workflowId = `rollback-${modelName}-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}`;
  const { handle } = await startOrJoin(client, config, 'rollbackModel', workflowId, {
    modelName,
    requestedBy,
    ...(values.comment ? { reason: String(values.comment) } : {}),
  });
  console.log(`started ${workflowId}\n  ${workflowUrl(config, workflowId)}`);
  console.log(JSON.stringify(await handle.result(), null, 2));
}

export async function promotions(config: Config, values: Values) {
  const pool = createPool(config, { max: 1 });
  try {
    const rows = await listPromotions(pool, values.model ? { modelName: String(values.model) } : {});
    for (const r of rows) {
      console.log(
        `${r.decidedAt}  ${r.modelName} v${r.modelVersion ?? '-'}  ${r.decision}${r.approver ? ` by ${r.approver}` : ''}${r.previousVersion ? ` (was v${r.previousVersion})` : ''}${r.comment ? `: ${r.comment}` : ''}`,
      );
    }
    if (rows.length === 0) console.log('no decisions recorded yet');
  } finally {
    await pool.end();
  }
}

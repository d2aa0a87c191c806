import { existsSync } from 'node:fs';
import path from 'node:path';

import type { Client } from '@temporalio/client';

import { createPool } from '../adapters/postgres/pool';
import { listPromotions } from '../adapters/postgres/promotions';
import { workflowUrl } from '../adapters/temporal/client';
import { sendApproval, startTraining, untilDecisionPoint } from '../adapters/temporal/pipeline-runs';
import { startOrJoin } from '../adapters/temporal/start-or-join';
import type { Config } from '../config';
import { repoRoot } from '../config/runtime';
import { AppError } from '../core/errors';
import { trainingRequest } from '../core/training/request';
import { startOutcome, triggerNow } from '../core/work-ids/trigger';
import {
  approvePromotionSignal,
  promotionStatusQuery,
  type DecisionTaken,
  type PromotionStatus,
} from '../workflows/promotion-approval';
import { rollbackModel } from '../workflows/rollback-model';
import { type trainingPipeline, type TrainingPipelineResult } from '../workflows/training-pipeline';

import { cliActor } from './locations';

type Values = Record<string, string | boolean | undefined>;
type Evaluation = NonNullable<PromotionStatus['evaluation']>;

/**
 * Where a training run stands, as `--json` prints it (one object on stdout, the progress on stderr): what
 * a script such as the Jenkinsfile needs to ask for a decision and to check what got deployed.
 */
export interface TrainingRunSummary {
  workflowId: string;
  url: string;
  /** `awaiting_approval` while a person must decide; after that the outcome (`promoted`, `rejected`, …). */
  stage: PromotionStatus['stage'];
  modelName: string;
  version?: string;
  /** One line for people: the model version and its holdout scores, or the outcome. */
  summary: string;
  /** Until when the run waits for a decision. */
  deadline?: string;
  evaluation?: Evaluation;
  deploy?: { confirmed: boolean; detail: string };
}

/** The candidate's holdout MAE beside its baseline's and the champion's, on one line. */
export function describeEvaluation(e: Evaluation): string {
  const champion = e.champion ? ` vs champion v${e.champion.version} ${e.champion.metrics.mae.toFixed(2)}` : '';
  return `holdout MAE ${e.candidate.mae.toFixed(2)} vs ${e.baseline.algorithm} ${e.baseline.metrics.mae.toFixed(2)}${champion}`;
}

function runSummary(
  workflowId: string,
  url: string,
  stage: PromotionStatus['stage'],
  run: Pick<PromotionStatus, 'modelName' | 'version' | 'evaluation' | 'deadline' | 'deploy'>,
): TrainingRunSummary {
  const version = run.version ? ` version ${run.version}` : '';
  const scores = run.evaluation ? `: ${describeEvaluation(run.evaluation)}` : '';
  return {
    workflowId,
    url,
    stage,
    modelName: run.modelName,
    ...(run.version ? { version: run.version } : {}),
    summary: `${run.modelName}${version} ${stage.replace(/_/g, ' ')}${scores}`,
    ...(run.deadline ? { deadline: run.deadline } : {}),
    ...(run.evaluation ? { evaluation: run.evaluation } : {}),
    ...(run.deploy ? { deploy: run.deploy } : {}),
  };
}

/** With `--json`, people's lines go to stderr so that stdout holds the one JSON object. */
function reporter(values: Values) {
  const json = values.json === true;
  return {
    say: json ? (line: string) => console.error(line) : (line: string) => console.log(line),
    emit: (summary: TrainingRunSummary) => {
      if (json) console.log(JSON.stringify(summary));
    },
  };
}

function sayOutcome(say: (line: string) => void, final: TrainingPipelineResult) {
  say(`outcome: ${final.outcome}${final.version ? ` (${final.modelName} version ${final.version})` : ''}`);
  if (final.deploy) say(`  deploy: ${final.deploy.detail}`);
}

/** The Temporal CLI the embedded stack installed (the same `temporal` as any other install). */
function temporalCli(config: Config): string {
  const installed = path.resolve(repoRoot, config.toolsDir, 'venvs', 'temporal', 'bin', 'temporal');
  return existsSync(installed) ? path.relative(process.cwd(), installed) || installed : 'temporal';
}

/** How a person decides on a challenger: the three equivalent ways. */
export function approvalInstructions(config: Config, workflowId: string): string[] {
  const input = JSON.stringify({ approver: 'your-name', decision: 'approve', comment: 'holdout looks right' });
  const name = approvePromotionSignal.name;
  return [
    `Web UI: ${workflowUrl(config, workflowId)}  → "Send a Signal", name ${name}, input ${input}`,
    `CLI:    ${temporalCli(config)} workflow signal --address ${config.temporal.address} --namespace ${config.temporal.namespace} --workflow-id ${workflowId} --name ${name} --input '${input}'`,
    `        (or: npx airq approve ${workflowId} --approver your-name)`,
    `Page:   ${config.api.dashboardUrl} → Models → pending approvals (with an API key of API_KEYS)`,
    `API:    curl -X POST ${config.api.url}/pipelines/${workflowId}/approval -H 'Authorization: Bearer <api key>' -H 'Content-Type: application/json' -d '{"decision":"approve","comment":"holdout looks right"}'`,
  ];
}

export async function train(client: Client, config: Config, values: Values): Promise<number> {
  const { say, emit } = reporter(values);
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
  const run = await startTraining(client, config, parsed.data, triggerNow('cli', `airq train by ${cliActor(values)}`));
  const { workflowId, handle, url } = run;
  say(`${startOutcome(run, workflowId)}\n  ${url}`);
  const status = await untilDecisionPoint(handle, (s) =>
    say(`  stage: ${s.stage}${s.version ? ` (${s.modelName} version ${s.version})` : ''}`),
  );
  if (status?.stage === 'awaiting_approval') {
    if (status.evaluation) say(`  ${describeEvaluation(status.evaluation)}`);
    say(`Waiting for approval until ${status.deadline}. Decide with any of:`);
    for (const line of approvalInstructions(config, workflowId)) say(`  ${line}`);
    if (values.wait !== true) {
      emit(runSummary(workflowId, url, status.stage, status));
      return 0;
    }
  }
  const final = await handle.result();
  sayOutcome(say, final);
  emit(runSummary(workflowId, url, final.outcome, final));
  return final.outcome === 'promoted' || final.outcome === 'rejected' ? 0 : 1;
}

/**
 * Decides through the approvePromotion update: the workflow answers at once whether it took the decision
 * (exit 1, with its reason, when it refused). With `--wait`, stays until the run is over and exits 0 only
 * when it ended as asked (approve → promoted, reject → rejected).
 */
export async function decide(
  client: Client,
  config: Config,
  values: Values,
  workflowId: string | undefined,
  decision: 'approve' | 'reject',
): Promise<number> {
  if (!workflowId) {
    throw new Error(`usage: airq ${decision} <workflow id> --approver <name> [--comment …] [--wait] [--json]`);
  }
  const { say, emit } = reporter(values);
  const url = workflowUrl(config, workflowId);
  const approver = String(values.approver ?? process.env.USER ?? '');
  const payload = { approver, decision, ...(values.comment ? { comment: String(values.comment) } : {}) };
  let taken: DecisionTaken;
  try {
    taken = await sendApproval(client, workflowId, payload, config.temporal.updateWaitMs);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'APPROVAL_REFUSED')) throw err;
    say(`  the workflow refused it: ${err.message}`);
    return 1;
  }
  say(`${workflowId} took ${taken.decision} from ${taken.approver} (approvePromotion update): stage ${taken.stage}`);
  const handle = client.workflow.getHandle<typeof trainingPipeline>(workflowId);
  if (values.wait !== true) {
    emit(runSummary(workflowId, url, taken.stage, await handle.query(promotionStatusQuery)));
    return 0;
  }
  const final = await handle.result();
  sayOutcome(say, final);
  emit(runSummary(workflowId, url, final.outcome, final));
  return final.outcome === (decision === 'approve' ? 'promoted' : 'rejected') ? 0 : 1;
}

export async function rollback(client: Client, config: Config, values: Values, modelName: string | undefined) {
  if (!modelName) throw new Error('usage: airq rollback <model name> --approver <name> [--comment …]');
  const requestedBy = String(values.approver ?? process.env.USER ?? 'operator');
  const workflowId = `rollback-${modelName}-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}`;
  const { handle } = await startOrJoin(client, config, rollbackModel, workflowId, {
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

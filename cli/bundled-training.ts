import type { Client } from '@temporalio/client';

import { sendApproval, startTraining, untilDecisionPoint } from '../adapters/temporal/pipeline-runs';
import type { Config } from '../config';
import { AppError, describeError } from '../core/errors';
import { trainingRequest, type TrainingRequest } from '../core/training/request';
import { startOutcome, triggerNow } from '../core/work-ids/trigger';

import { approvalInstructions } from './models';

/**
 * The model half of `npm start`: trains the two default models on the bundled Lyon year (the instant
 * nowcast and a +24 h forecast), registers the challengers, prints how to approve them, and waits for the
 * decision. Without a terminal on stdin (CI, scripts) it approves them itself as approver `demo`, through
 * the approvePromotion update that `airq approve` and the API send.
 */
export const defaultTrainingRequests: TrainingRequest[] = [
  trainingRequest.parse({ kind: 'instant' }),
  trainingRequest.parse({ kind: 'forecast', horizonHours: 24 }),
];

export async function runBundledTraining(
  client: Client,
  config: Config,
  say: (message: string) => void,
  options: { interactive: boolean; requests?: readonly TrainingRequest[] },
): Promise<{ lines: string[]; healthy: boolean }> {
  const runs = await Promise.all(
    (options.requests ?? defaultTrainingRequests).map(async (request) => {
      const run = await startTraining(client, config, request, triggerNow('start', 'npm start: bundled training'));
      say(`training: ${startOutcome(run, run.workflowId)}\n  ${run.url}`);
      return run;
    }),
  );

  // Wait until each run asks for a decision or is over.
  const pending: typeof runs = [];
  for (const run of runs) {
    const status = await untilDecisionPoint(run.handle, (s) => say(`  ${s.modelName}: ${s.stage}`));
    if (status?.stage === 'awaiting_approval') {
      const e = status.evaluation;
      say(
        `${status.modelName} version ${status.version} awaits approval: holdout MAE ${e?.candidate.mae.toFixed(2)} vs ${e?.baseline.algorithm} ${e?.baseline.metrics.mae.toFixed(2)}${e?.champion ? `, champion v${e.champion.version} ${e.champion.metrics.mae.toFixed(2)}` : ''}`,
      );
      for (const line of approvalInstructions(config, run.workflowId)) say(`  ${line}`);
      pending.push(run);
    }
  }
  if (pending.length > 0 && !options.interactive) {
    for (const run of pending) {
      say(`stdin is not a terminal: approving ${run.workflowId} as "demo"`);
      try {
        await sendApproval(client, run.workflowId, {
          approver: 'demo',
          decision: 'approve',
          comment: 'approved by npm start (no terminal on stdin)',
        });
      } catch (err) {
        // Someone decided first (the Web UI, airq): their decision stands and the result below reports it.
        if (!(err instanceof AppError && err.code === 'APPROVAL_REFUSED')) throw err;
        say(`  not approved by npm start: ${err.message}`);
      }
    }
  } else if (pending.length > 0) {
    say(
      `waiting for your decision, from any of the above or the dashboard ${config.api.dashboardUrl} (Ctrl-C leaves the requests pending; the workflows keep waiting)`,
    );
  }

  const lines: string[] = [];
  let healthy = true;
  for (const run of runs) {
    try {
      const result = await run.handle.result();
      lines.push(
        `model ${result.modelName}: ${result.outcome}${result.version ? ` version ${result.version}` : ''}, holdout MAE ${result.evaluation.candidate.mae.toFixed(2)} (${result.evaluation.baseline.algorithm} ${result.evaluation.baseline.metrics.mae.toFixed(2)})${result.deploy ? `; ${result.deploy.detail}` : ''}`,
      );
    } catch (err) {
      healthy = false;
      lines.push(`model ${run.workflowId}: FAILED ${describeError(err)}  ${run.url}`);
    }
  }
  return { lines, healthy };
}

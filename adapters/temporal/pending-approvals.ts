import type { Client } from '@temporalio/client';

import type { Config } from '../../config';
import { promotionStatusQuery, type PromotionStatus } from '../../workflows/promotion-approval';
import { trainingPipeline } from '../../workflows/training-pipeline';

import { workflowUrl } from './client';
import { triggersOf, type TriggerView } from './run-triggers';

/** A training run waiting for a person's decision, as its promotionStatus query tells it. */
export interface PendingApproval {
  workflowId: string;
  url: string;
  startedAt: string;
  status?: PromotionStatus;
  /** Who asked for the training (memo `triggers`), an Airflow run linked to its page. */
  triggers: TriggerView[];
}

/** How long one run's promotionStatus query may take before the run is listed without it. */
const statusQueryTimeoutMs = 3000;

/**
 * The running training pipelines whose `PipelineStage` search attribute says `awaiting_approval` (what the
 * Web UI lists with the same query), each with its status: the version, its holdout evaluation, the deadline.
 */
export async function listPendingApprovals(client: Client, config: Config, limit = 50): Promise<PendingApproval[]> {
  const query = `WorkflowType = "${trainingPipeline.name}" AND ExecutionStatus = "Running" AND PipelineStage = "awaiting_approval"`;
  const found: { workflowId: string; startedAt: string; triggers: TriggerView[] }[] = [];
  for await (const run of client.workflow.list({ query, pageSize: limit })) {
    found.push({
      workflowId: run.workflowId,
      startedAt: run.startTime.toISOString(),
      triggers: triggersOf(run.memo, config),
    });
    if (found.length >= limit) break;
  }
  return Promise.all(
    found.map(async ({ workflowId, startedAt, triggers }) => {
      const handle = client.workflow.getHandle<typeof trainingPipeline>(workflowId);
      const status = await client.connection
        .withDeadline(Date.now() + statusQueryTimeoutMs, () => handle.query(promotionStatusQuery))
        .catch(() => undefined);
      return { workflowId, url: workflowUrl(config, workflowId), startedAt, ...(status ? { status } : {}), triggers };
    }),
  );
}

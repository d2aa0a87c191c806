import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';

import type { Config } from '../../config';

export interface StartedRun {
  handle: WorkflowHandle;
  /** False when a run with this id was already running or had completed: that run is the answer. */
  started: boolean;
}

/**
 * Starts a workflow whose id is derived from its work, or joins the run that already has that id: a
 * running one (conflict policy "use existing") or a completed one (reuse "allow duplicate failed only",
 * so only a failed or cancelled run is started again). Retries, double clicks and re-triggers therefore
 * never duplicate work.
 */
export async function startOrJoin(
  client: Client,
  config: Config,
  workflowType: string,
  workflowId: string,
  input: unknown,
): Promise<StartedRun> {
  try {
    const handle = await client.workflow.start(workflowType, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
    return { handle, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { handle: client.workflow.getHandle(workflowId), started: false };
  }
}

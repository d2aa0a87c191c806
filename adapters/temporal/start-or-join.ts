import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';

import type { Config } from '../../config';

/** The platform's started workflows take one input object (ingestHistory, trainingPipeline, …). */
export type WorkflowOfInput<I, R> = (input: I) => Promise<R>;

export interface StartedRun<I, R> {
  /** Typed by the workflow function: `result()` resolves to what the workflow returns. */
  handle: WorkflowHandle<WorkflowOfInput<I, R>>;
  /** False when a run with this id was already running or had completed: that run is the answer. */
  started: boolean;
}

/**
 * Starts a workflow whose id is derived from its work, or joins the run that already has that id: a
 * running one (conflict policy "use existing") or a completed one (reuse "allow duplicate failed only",
 * so only a failed or cancelled run is started again). Retries, double clicks and re-triggers therefore
 * never duplicate work. The workflow is passed as its function (the client takes its name as the
 * workflow type), so the input is checked against its parameter and `result()` is typed.
 */
export async function startOrJoin<I, R>(
  client: Client,
  config: Config,
  workflow: WorkflowOfInput<I, R>,
  workflowId: string,
  input: NoInfer<I>,
): Promise<StartedRun<I, R>> {
  try {
    const handle = await client.workflow.start(workflow, {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
    return { handle, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { handle: client.workflow.getHandle<WorkflowOfInput<I, R>>(workflowId), started: false };
  }
}

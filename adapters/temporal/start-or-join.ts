import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';

import type { Config } from '../../config';
import type { WorkTrigger } from '../../core/work-ids/trigger';
import { triggeredBySignal } from '../../workflows/work-triggers';

/** The platform's started workflows take one input object (ingestHistory, trainingPipeline, …). */
export type WorkflowOfInput<I, R> = (input: I) => Promise<R>;

export interface StartedRun<I, R> {
  /** Typed by the workflow function: `result()` resolves to what the workflow returns. */
  handle: WorkflowHandle<WorkflowOfInput<I, R>>;
  /** False when a run with this id was already running or had completed: that run is the answer. */
  started: boolean;
  /**
   * The run id when the work had already completed: nothing was started and the trigger is not recorded on
   * it (a closed run takes no signal); the caller says "already done by <run>".
   */
  completedRun?: string;
}

export interface WorkStart<I, R> {
  workflow: WorkflowOfInput<I, R>;
  workflowId: string;
  taskQueue: string;
  input: NoInfer<I>;
  /** Who asks: sent as the `triggeredBy` signal with the start, so a run joined is told too. */
  trigger?: WorkTrigger;
}

/**
 * Starts a workflow whose id is derived from its work, or joins the run that already has that id: a
 * running one (conflict policy "use existing") or a completed one (reuse "allow duplicate failed only",
 * so only a failed or cancelled run is started again). Retries, double clicks and re-triggers therefore
 * never duplicate work. With a trigger the start is a signal-with-start of `triggeredBy`, which the
 * workflow records (memo `triggers`, search attribute `AqiTrigger`), whether it started the run or joined
 * it. The workflow is passed as its function (the client takes its name as the workflow type), so the
 * input is checked against its parameter and `result()` is typed.
 */
export async function startOrJoin<I, R>(
  client: Client,
  config: Config,
  workflow: WorkflowOfInput<I, R>,
  workflowId: string,
  input: NoInfer<I>,
  trigger?: WorkTrigger,
): Promise<StartedRun<I, R>> {
  return startOrJoinWork(client, {
    workflow,
    workflowId,
    taskQueue: config.temporal.taskQueue,
    input,
    ...(trigger ? { trigger } : {}),
  });
}

export async function startOrJoinWork<I, R>(client: Client, start: WorkStart<I, R>): Promise<StartedRun<I, R>> {
  const { workflow, workflowId, taskQueue, input, trigger } = start;
  const handle = client.workflow.getHandle<WorkflowOfInput<I, R>>(workflowId);
  try {
    if (trigger === undefined) {
      await client.workflow.start(workflow, {
        taskQueue,
        workflowId,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      });
      return { handle, started: true };
    }
    // Signal-with-start signals a running run (use existing, its only conflict policy) or starts one.
    await client.workflow.signalWithStart(workflow, {
      taskQueue,
      workflowId,
      args: [input],
      signal: triggeredBySignal,
      signalArgs: [trigger],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      // Set at the start only: it tells this caller whether the run it signalled is the one it started.
      memo: { startedBy: trigger },
    });
    const { memo } = await handle.describe();
    return { handle, started: sameTrigger(memo?.startedBy, trigger) };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    if (trigger === undefined) return { handle, started: false };
    const { runId } = await handle.describe();
    return { handle, started: false, completedRun: runId };
  }
}

function sameTrigger(recorded: unknown, trigger: WorkTrigger): boolean {
  if (recorded === null || typeof recorded !== 'object') return false;
  const r = recorded as Record<string, unknown>;
  return r.source === trigger.source && r.detail === trigger.detail && r.at === trigger.at;
}

import type { Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';

const quiet = () => undefined;
const silent: Logger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet };

/**
 * Runs activities as Temporal would, inside an activity context of a workflow with this id (the id the
 * activities record as the run), with typed results and the SDK's activity logging silenced; `attempt` is
 * Temporal's attempt number the activity sees (1 by default).
 */
export function inActivityOf(workflowId: string, options: { attempt?: number } = {}) {
  const env = new MockActivityEnvironment(
    {
      workflowExecution: { workflowId, runId: 'run-1' },
      ...(options.attempt === undefined ? {} : { attempt: options.attempt }),
    },
    { logger: silent },
  );
  return <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    env.run<A, R, (...args: A) => Promise<R>>(activity, ...args);
}

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { isGrpcServiceError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import { startScheduledWork } from '../../workflows/start-scheduled-work';

import { until } from './api-calls';
import { testProcessEnv } from './test-env';

/**
 * The starters of one piece of work, as the trigger tests drive them against the test stack: `airq`, a
 * Temporal Schedule's starter, and a pipeline worker on a task queue of the test's own (started last, so
 * the work stays open until every starter has asked).
 */

/** A child process and what it printed, resolved when it exits. */
export interface Spawned {
  child: ChildProcess;
  done: Promise<{ code: number | null; output: string }>;
}

export function spawnCollecting(command: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, output })),
  );
  return { child, done };
}

/** `airq ingest-hour` as a user runs it, its work on `workQueue`; `done` resolves when it exits. */
export function airqIngestHour(hour: string, workQueue: string): Spawned {
  return spawnCollecting(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'cli', 'airq.ts'), 'ingest-hour', '--hour', hour, '--locations', 'lyon'],
    { ...testProcessEnv(), TEMPORAL_TASK_QUEUE: workQueue },
  );
}

/** The pipeline worker on `workQueue` (no metrics port: the stack's worker has the configured one). */
export function workQueueWorker(workQueue: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'workers', 'pipeline-worker.ts')], {
    cwd: repoRoot,
    env: { ...testProcessEnv(), TEMPORAL_TASK_QUEUE: workQueue, WORKER_METRICS_PORT: '0' },
    stdio: 'ignore',
  });
}

/**
 * Creates a schedule whose action is the hourly ingest's starter (run by the stack's worker, its work on
 * `workQueue`) and triggers it once, as its cron would.
 */
export async function triggerHourlySchedule(
  client: Client,
  config: Config,
  scheduleId: string,
  workQueue: string,
): Promise<void> {
  await client.schedule.create({
    scheduleId,
    spec: { cronExpressions: ['0 0 1 1 *'] },
    action: {
      type: 'startWorkflow',
      workflowType: startScheduledWork,
      taskQueue: config.temporal.taskQueue,
      workflowId: `scheduled-${scheduleId}`,
      args: [{ work: 'ingestHourly', scheduleId, locationIds: ['lyon'], taskQueue: workQueue }],
    },
    policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
  });
  await client.schedule.getHandle(scheduleId).trigger();
}

/** The replay source's newest hour: what a schedule's starter takes when the source is behind the clock. */
export async function replayHour(config: Config): Promise<string> {
  const health = (await (await fetch(`${config.source.url}/health`)).json()) as { now: string };
  return `${health.now.slice(0, 13)}:00:00Z`;
}

export async function runsOf(client: Client, workflowId: string): Promise<number> {
  let n = 0;
  for await (const _run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
  return n;
}

/** Deletes every run of the id (a run of the same hour by another suite on this stack), so a test starts clean. */
export async function forget(client: Client, config: Config, workflowId: string): Promise<void> {
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    await client.workflowService.deleteWorkflowExecution({
      namespace: config.temporal.namespace,
      workflowExecution: { workflowId, runId: run.runId },
    });
  }
  await until('the old runs gone', async () => ((await runsOf(client, workflowId)) === 0 ? true : undefined), {
    timeoutMs: 60_000,
  });
}

/** How many signals (triggers) the run's history holds; 0 while no run has the id yet. */
export async function signalsOf(client: Client, workflowId: string): Promise<number> {
  try {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
  } catch (err) {
    // fetchHistory answers gRPC's NOT_FOUND (5) as it is.
    if (isGrpcServiceError(err) && err.code === 5) return 0;
    throw err;
  }
}

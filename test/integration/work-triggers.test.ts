/**
 * One hour, three starters, one workflow: an Airflow run (the DAG's Python start path, dags/aqi_airflow), a
 * Temporal Schedule's starter and `airq ingest-hour` ask for the same hour of Lyon. The work runs on a task
 * queue of its own whose worker (workers/pipeline-worker.ts) the test starts only once all three have
 * asked, so the run is open, deterministically, when they arrive; the schedule's starter itself runs on the
 * stack's worker. Then the completed case: asking again starts nothing and names the run that did it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

import { connectTemporal } from '../../adapters/temporal/client';
import { repoRoot } from '../../config/runtime';
import { ingestHourlyWorkId } from '../../core/work-ids/work-ids';
import { stackLayout } from '../../stack/layout';
import { airflowVenv } from '../../stack/services/airflow';
import type { ingestHourly } from '../../workflows/ingest-hourly';
import { startScheduledWork } from '../../workflows/start-scheduled-work';

import { until } from './api-calls';
import { testConfig, testProcessEnv } from './test-env';

const config = testConfig();
const layout = stackLayout(config);
const workQueue = `aqi-triggers-${Date.now()}`;
const scheduleId = `aqi-triggers-test-${Date.now()}`;
jest.setTimeout(300_000);

let client: Client;
const started: ChildProcess[] = [];

beforeAll(async () => {
  client = await connectTemporal(config);
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGTERM');
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await client.connection.close();
});

/** The replay source's newest hour: what a schedule's starter takes when the source is behind the clock. */
async function replayHour(): Promise<string> {
  const health = (await (await fetch(`${config.source.url}/health`)).json()) as { now: string };
  return `${health.now.slice(0, 13)}:00:00Z`;
}

/** Deletes every run of the id (a run of the same hour by another suite on this stack), so the test starts clean. */
async function forget(workflowId: string): Promise<void> {
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    await client.workflowService.deleteWorkflowExecution({
      namespace: config.temporal.namespace,
      workflowExecution: { workflowId, runId: run.runId },
    });
  }
  await until('the old runs gone', async () => ((await runsOf(workflowId)) === 0 ? true : undefined), {
    timeoutMs: 60_000,
  });
}

async function runsOf(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
  return n;
}

/** The DAG's own start path (aqi_airflow.runs + temporal_calls) for aqi_hourly's interval of `hour`. */
function airflowStart(hour: string): { started: boolean; completed_run: string | null; workflow_id: string } {
  const script = `
import asyncio, json, sys
from datetime import datetime, timedelta
sys.path.insert(0, "dags")
from aqi_airflow.runs import RunWindow, hourly_request
from aqi_airflow.temporal_calls import airflow_trigger, connect, start_or_join
start = datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
window = RunWindow("aqi_hourly", "manual__work-triggers-test", start, start + timedelta(hours=1))
request = hourly_request(window, ["lyon"], sys.argv[2])
async def main():
    client = await connect(sys.argv[3], sys.argv[4])
    memo = {"airflow_dag_id": window.dag_id, "airflow_run_id": window.run_id}
    outcome = await start_or_join(client, request, memo, airflow_trigger(window.dag_id, window.run_id))
    print(json.dumps({"workflow_id": request.workflow_id, "started": outcome.started, "completed_run": outcome.completed_run}))
asyncio.run(main())
`;
  const result = spawnSync(
    path.join(airflowVenv(layout), 'bin', 'python'),
    ['-c', script, hour, workQueue, config.temporal.address, config.temporal.namespace],
    { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`the Airflow start path failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as ReturnType<typeof airflowStart>;
}

/** `airq ingest-hour` as a user runs it, its work on the test's task queue; resolves when it exits. */
function airqIngestHour(hour: string): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string }> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'cli', 'airq.ts'), 'ingest-hour', '--hour', hour, '--locations', 'lyon'],
    { cwd: repoRoot, env: { ...testProcessEnv(), TEMPORAL_TASK_QUEUE: workQueue }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.push(child);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout })),
  );
  return { child, done };
}

async function signalsOf(workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
}

describe('one workflow per piece of work, whoever starts it', () => {
  it('when Airflow, a schedule and airq ask for the same hour, then one run records the three; asked again once done, it starts nothing', async () => {
    const hour = await replayHour();
    const workflowId = ingestHourlyWorkId(['lyon'], hour);
    await forget(workflowId);

    // 1. Airflow starts it (nothing polls its task queue yet, so it stays open).
    const airflow = airflowStart(hour);
    expect(airflow).toEqual({ workflow_id: workflowId, started: true, completed_run: null });

    // 2. airq joins it (and waits for its result, as it does).
    const cli = airqIngestHour(hour);
    await until('airq has asked', async () => ((await signalsOf(workflowId)) >= 2 ? true : undefined), {
      timeoutMs: 60_000,
    });

    // 3. A schedule's starter (on the stack's worker) joins it.
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
    await until('the schedule has asked', async () => ((await signalsOf(workflowId)) >= 3 ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });

    // 4. Only now does a worker serve the work's task queue.
    const worker = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'workers', 'pipeline-worker.ts')], {
      cwd: repoRoot,
      env: { ...testProcessEnv(), TEMPORAL_TASK_QUEUE: workQueue, WORKER_METRICS_PORT: '0' },
      stdio: 'ignore',
    });
    started.push(worker);
    const handle = client.workflow.getHandle<typeof ingestHourly>(workflowId);
    const result = await handle.result();
    const asked = await cli.done;

    expect(result.persisted).toBe(result.published);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain(`joined the existing run of ${workflowId}`);
    const description = await handle.describe();
    const triggers = description.memo?.triggers as { source: string; detail: string }[];
    expect(triggers.map((t) => t.source)).toEqual(['airflow', 'cli', 'schedule']);
    expect(triggers[0]?.detail).toBe('aqi_hourly/manual__work-triggers-test');
    expect(triggers[2]?.detail).toMatch(new RegExp(`^${scheduleId} at `));
    expect(description.searchAttributes.AqiTrigger).toEqual(['airflow', 'cli', 'schedule']);
    await until(
      'the run found by AqiTrigger',
      async () => {
        const query = `WorkflowId = '${workflowId}' AND AqiTrigger = 'schedule' AND AqiTrigger = 'airflow'`;
        const found = [];
        for await (const run of client.workflow.list({ query })) found.push(run.runId);
        return found.length === 1 ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(await runsOf(workflowId)).toBe(1);

    // 5. Done: asking again starts nothing, says which run did it, and adds nothing to that run.
    const again = airqIngestHour(hour);
    const second = await again.done;
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`already done by run ${description.runId} of ${workflowId}`);
    expect(airflowStart(hour)).toEqual({ workflow_id: workflowId, started: false, completed_run: description.runId });
    expect(await runsOf(workflowId)).toBe(1);
    expect(await signalsOf(workflowId)).toBe(3);
    const closedStatus = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
    expect((await handle.describe()).raw.workflowExecutionInfo?.status).toBe(closedStatus);
  });
});

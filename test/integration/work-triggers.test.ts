/**
 * One hour, three starters, one workflow: an Airflow run (the DAG's Python start path, dags/aqi_airflow), a
 * Temporal Schedule's starter and `airq ingest-hour` ask for the same hour of Lyon. The work runs on a task
 * queue of its own whose worker (workers/pipeline-worker.ts) the test starts only once all three have
 * asked, so the run is open, deterministically, when they arrive; the schedule's starter itself runs on the
 * stack's worker. Then the completed case: asking again starts nothing and names the run that did it.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

import { connectTemporal } from '../../adapters/temporal/client';
import { repoRoot } from '../../config/runtime';
import { ingestHourlyWorkId } from '../../core/work-ids/work-ids';
import { stackLayout } from '../../stack/layout';
import { airflowService, airflowVenv } from '../../stack/services/airflow';
import type { ingestHourly } from '../../workflows/ingest-hourly';

import { until } from './api-calls';
import { testConfig } from './test-env';
import {
  airqIngestHour,
  forget,
  replayHour,
  runsOf,
  signalsOf,
  triggerHourlySchedule,
  workQueueWorker,
} from './work-starters';

const config = testConfig();
const layout = stackLayout(config);
const workQueue = `aqi-triggers-${Date.now()}`;
const scheduleId = `aqi-triggers-test-${Date.now()}`;
jest.setTimeout(300_000);

let client: Client;
const started: ChildProcess[] = [];

beforeAll(async () => {
  // The Airflow venv may not exist yet: on a fresh clone this file can run before the DAG tests install it.
  await airflowService(config, layout, (message) => console.log(`[airflow] ${message}`)).install();
  client = await connectTemporal(config);
}, 20 * 60_000);

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGTERM');
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await client.connection.close();
});

/** The DAG's own start path (aqi_airflow.runs + temporal_calls) for aqi_hourly's interval of `hour`. */
function airflowStart(hour: string): { started: boolean; completed_run: string | null; workflow_id: string } {
  const script = `
import asyncio, json, os, sys
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
    print(json.dumps({"workflow_id": request.workflow_id, "started": outcome.started, "completed_run": outcome.completed_run}), flush=True)
asyncio.run(main())
# Printed and flushed: leave without the interpreter's teardown of the SDK's native runtime.
os._exit(0)
`;
  for (let attempt = 1; ; attempt++) {
    const result = spawnSync(
      path.join(airflowVenv(layout), 'bin', 'python'),
      ['-c', script, hour, workQueue, config.temporal.address, config.temporal.namespace],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
    );
    if (result.status === 0) {
      return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as ReturnType<typeof airflowStart>;
    }
    const said = `status ${String(result.status)}, signal ${String(result.signal)}${result.error ? `, ${result.error.message}` : ''}`;
    // A process that started and was ended by a signal is asked once more (asking is idempotent, which is what
    // this test is about); a failed spawn or an exit status fails at once.
    if (attempt === 1 && result.status === null && result.signal !== null && !result.error) {
      console.warn(`the Airflow start path ended by a signal (${said}); asking once more:\n${result.stderr}`);
      continue;
    }
    throw new Error(`the Airflow start path failed (${said}):\n${result.stderr}\n${result.stdout}`);
  }
}

describe('one workflow per piece of work, whoever starts it', () => {
  it('when Airflow, a schedule and airq ask for the same hour, then one run records the three; asked again once done, it starts nothing', async () => {
    const hour = await replayHour(config);
    const workflowId = ingestHourlyWorkId(['lyon'], hour);
    await forget(client, config, workflowId);

    // 1. Airflow starts it (nothing polls its task queue yet, so it stays open).
    const airflow = airflowStart(hour);
    expect(airflow).toEqual({ workflow_id: workflowId, started: true, completed_run: null });

    // 2. airq joins it (and waits for its result, as it does).
    const cli = airqIngestHour(hour, workQueue);
    started.push(cli.child);
    await until('airq has asked', async () => ((await signalsOf(client, workflowId)) >= 2 ? true : undefined), {
      timeoutMs: 60_000,
    });

    // 3. A schedule's starter (on the stack's worker) joins it.
    await triggerHourlySchedule(client, config, scheduleId, workQueue);
    await until('the schedule has asked', async () => ((await signalsOf(client, workflowId)) >= 3 ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });

    // 4. Only now does a worker serve the work's task queue.
    const worker = workQueueWorker(workQueue);
    started.push(worker);
    const handle = client.workflow.getHandle<typeof ingestHourly>(workflowId);
    const result = await handle.result();
    const asked = await cli.done;

    expect(result.persisted).toBe(result.published);
    expect(asked.code).toBe(0);
    expect(asked.output).toContain(`joined the existing run of ${workflowId}`);
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
    expect(await runsOf(client, workflowId)).toBe(1);

    // 5. Done: asking again starts nothing, says which run did it, and adds nothing to that run.
    const again = airqIngestHour(hour, workQueue);
    started.push(again.child);
    const second = await again.done;
    expect(second.code).toBe(0);
    expect(second.output).toContain(`already done by run ${description.runId} of ${workflowId}`);
    expect(airflowStart(hour)).toEqual({ workflow_id: workflowId, started: false, completed_run: description.runId });
    expect(await runsOf(client, workflowId)).toBe(1);
    expect(await signalsOf(client, workflowId)).toBe(3);
    const closedStatus = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
    expect((await handle.describe()).raw.workflowExecutionInfo?.status).toBe(closedStatus);
  });
});

/**
 * The Airflow DAG tests (pytest, dags/tests) against the test stack: Airflow 3 standalone from the
 * project's venv beside the stack the global setup started (Temporal, workers, replay source, PostgreSQL).
 * Each pytest file is one test here; its output is shown when it fails.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { createPool } from '../../adapters/postgres/pool';
import { connectTemporal } from '../../adapters/temporal/client';
import { repoRoot } from '../../config/runtime';
import { ingestHourlyWorkId } from '../../core/work-ids/work-ids';
import { stackLayout } from '../../stack/layout';
import { airflowEnvironment, airflowService, airflowVenv } from '../../stack/services/airflow';
import type { ingestHourly } from '../../workflows/ingest-hourly';

import { callApi, until } from './api-calls';
import { stackCommand, testConfig, testProcessEnv } from './test-env';
import {
  airqIngestHour,
  forget,
  replayHour,
  runsOf,
  signalsOf,
  spawnCollecting,
  triggerHourlySchedule,
  workQueueWorker,
} from './work-starters';

const config = testConfig();
const layout = stackLayout(config);
const airflow = airflowService(config, layout, (message) => console.log(`[airflow] ${message}`));
const reports = path.join(repoRoot, 'reports');

beforeAll(async () => {
  await airflow.install();
  await airflow.start();
}, 20 * 60_000);

afterAll(async () => {
  await airflow.stop();
}, 60_000);

/** Counts from pytest's JUnit report: a file whose tests were all skipped or collected none must fail too. */
function junitCounts(file: string): Record<'tests' | 'failures' | 'errors' | 'skipped', number> {
  const xml = readFileSync(file, 'utf8');
  const suite = /<testsuite\b([^>]*)>/.exec(xml)?.[1] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? Number.NaN);
  return { tests: attr('tests'), failures: attr('failures'), errors: attr('errors'), skipped: attr('skipped') };
}

function runPytest(file: string): { status: number | null; output: string; report: string } {
  mkdirSync(reports, { recursive: true });
  const report = path.join(reports, `pytest-${path.basename(file, '.py')}.xml`);
  const result = spawnSync(
    path.join(airflowVenv(layout), 'bin', 'python'),
    ['-m', 'pytest', path.join('dags', 'tests', file), '-q', '-p', 'no:cacheprovider', `--junitxml=${report}`],
    {
      cwd: repoRoot,
      env: { ...airflowEnvironment(config, layout), AQI_DATABASE_URL: config.postgres.url },
      encoding: 'utf8',
      timeout: 25 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, report };
}

describe('Airflow DAGs (pytest against the real Airflow and Temporal)', () => {
  test.each([
    ['the workflow ids and inputs each run asks for', 'test_runs.py'],
    ['the shared work-id cases: Python writes the ids TypeScript writes', 'test_work_ids.py'],
    ['the DagBag imports every DAG without touching Temporal', 'test_dagbag.py'],
    ['dag.test() of each DAG lands its rows or report, once', 'test_dags.py'],
    ['a two-day aqi_hourly backfill: one workflow per interval, none the second time', 'test_backfill.py'],
    ["the sensors' rules, the trigger's ends and the approval summary", 'test_sensors.py'],
    ['each sensor under dag.test(): waits until the data lands, or times out naming it', 'test_sensors_stack.py'],
    ['aqi_daily: deferred while a day is missing, on after the backfill; a day never complete fails', 'test_daily.py'],
  ])('%s (dags/tests/%s)', (_title, file) => {
    const { status, output, report } = runPytest(file);
    if (status !== 0)
      throw new Error(`pytest dags/tests/${file} exited with ${String(status)}:\n${output.slice(-12_000)}`);
    const counts = junitCounts(report);
    expect(counts.tests).toBeGreaterThan(0);
    expect(counts).toEqual({ tests: counts.tests, failures: 0, errors: 0, skipped: 0 });
  });
});

/** The README's block "One run, and a backfill", one shell command per line (continuations joined, comments dropped). */
function readmeAirflowCommands(): string[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const block = /One run, and a backfill[^\n]*\n+```bash\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md has no "One run, and a backfill" bash block');
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

/** `ingest-hourly-lyon-2024-03-14T00`: the work's id of an hourly interval (the DAG's default location, lyon). */
function hourlyWorkflowId(start: Date): string {
  return ingestHourlyWorkId(['lyon'], start.toISOString());
}

describe("the README's Airflow commands", () => {
  it(
    'when run as written with aqi_hourly paused, then the test run and every backfilled hour complete their workflow',
    async () => {
      const env = { ...airflowEnvironment(config, layout) };
      const paused = spawnSync(path.join(airflowVenv(layout), 'bin', 'airflow'), ['dags', 'pause', 'aqi_hourly'], {
        env,
        encoding: 'utf8',
      });
      expect(paused.status).toBe(0);
      // Airflow takes one running backfill per DAG, and the scheduler closes a finished one on a later loop:
      // the pytest backfill above may still hold aqi_hourly. Wait for it in Airflow's own database.
      await until(
        'no open backfill of aqi_hourly',
        async () => {
          const airflowDb = createPool(
            { ...config, postgres: { ...config.postgres, database: config.postgres.airflowDatabase } },
            { max: 1 },
          );
          try {
            const open = await airflowDb.query(
              `SELECT 1 FROM backfill WHERE dag_id = 'aqi_hourly' AND completed_at IS NULL`,
            );
            return open.rowCount === 0 ? true : undefined;
          } finally {
            await airflowDb.end();
          }
        },
        { timeoutMs: 300_000, intervalMs: 2000 },
      );
      const commands = readmeAirflowCommands();

      for (const command of commands) {
        const done = spawnSync('bash', ['-c', command], {
          cwd: repoRoot,
          env: testProcessEnv(),
          encoding: 'utf8',
          timeout: 10 * 60_000,
          maxBuffer: 64 * 1024 * 1024,
        });
        if (done.status !== 0)
          throw new Error(`${command} exited with ${String(done.status)}:\n${done.stdout}\n${done.stderr}`);
      }

      expect(commands).toHaveLength(2);
      const hours = [
        new Date('2024-03-06T05:00:00Z'),
        ...Array.from({ length: 6 }, (_, h) => new Date(Date.parse('2024-03-14T00:00:00Z') + h * 3_600_000)),
      ];
      const temporal = await connectTemporal(config);
      const statuses: Record<string, string> = {};
      const deadline = Date.now() + 10 * 60_000;
      for (const hour of hours) {
        const id = hourlyWorkflowId(hour);
        for (;;) {
          const status = await temporal.workflow
            .getHandle(id)
            .describe()
            .then((d) => d.status.name)
            .catch(() => 'NOT_STARTED');
          statuses[id] = status;
          if (status !== 'RUNNING' && status !== 'NOT_STARTED') break;
          if (Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
      await temporal.connection.close();
      spawnSync(path.join(airflowVenv(layout), 'bin', 'airflow'), ['dags', 'pause', 'aqi_hourly'], { env });

      expect(Object.values(statuses)).toEqual(hours.map(() => 'COMPLETED'));
      // Who asked is on the run, and the API links the Airflow run that did (the dashboard shows the link).
      const backfilled = await callApi('GET', `/pipelines/${encodeURIComponent(hourlyWorkflowId(hours[1] as Date))}`);
      const triggers = backfilled.body.triggers as { source: string; detail: string; url?: string }[];
      expect(triggers.map((t) => t.source)).toEqual(['airflow']);
      // The backfill's run of the interval [00:00, 01:00), named by Airflow (its run id carries a date).
      const runId = /^aqi_hourly\/(backfill__2024-03-14T\d\d:00:00\+00:00)$/.exec(triggers[0]?.detail ?? '')?.[1];
      expect(runId).toBeDefined();
      expect(triggers[0]?.url).toBe(`${config.airflow.url}/dags/aqi_hourly/runs/${encodeURIComponent(runId ?? '')}`);
    },
    25 * 60_000,
  );
});

describe('one hour asked for by airq, a Temporal Schedule and a real aqi_hourly run', () => {
  it(
    'when all three ask while the work is open, then one workflow records the three triggers and the Airflow task succeeds',
    async () => {
      const client = await connectTemporal(config);
      const workQueue = `aqi-dag-triggers-${Date.now()}`;
      const scheduleId = `aqi-dag-triggers-${Date.now()}`;
      const children: ChildProcess[] = [];
      try {
        // The replay source's newest hour: the one a schedule's starter plans (and the trigger test's hour).
        const hour = await replayHour(config);
        const workflowId = ingestHourlyWorkId(['lyon'], hour);
        await forget(client, config, workflowId);

        // airq starts it on a task queue nobody serves yet, so the work stays open while the others ask.
        const cli = airqIngestHour(hour, workQueue);
        children.push(cli.child);
        await until('airq has asked', async () => ((await signalsOf(client, workflowId)) >= 1 ? true : undefined));
        await triggerHourlySchedule(client, config, scheduleId, workQueue);
        await until('the schedule has asked', async () =>
          (await signalsOf(client, workflowId)) >= 2 ? true : undefined,
        );
        // The DAG itself: its source sensor, then its operator's start, which joins the open run.
        const logicalDate = new Date(Date.parse(hour) + 3_600_000).toISOString().replace('.000Z', '+00:00');
        const dag = stackCommand('airflow', 'dags', 'test', 'aqi_hourly', logicalDate);
        const airflowRun = spawnCollecting(dag.command, dag.args, dag.env);
        children.push(airflowRun.child);
        await until(
          'the Airflow run has asked',
          async () => ((await signalsOf(client, workflowId)) >= 3 ? true : undefined),
          { timeoutMs: 300_000, intervalMs: 1000 },
        );

        children.push(workQueueWorker(workQueue));
        const handle = client.workflow.getHandle<typeof ingestHourly>(workflowId);
        await handle.result();
        const [asked, dagRun] = await Promise.all([cli.done, airflowRun.done]);

        expect(asked.code).toBe(0);
        if (dagRun.code !== 0)
          throw new Error(`dags test exited ${String(dagRun.code)}:\n${dagRun.output.slice(-8000)}`);
        const description = await handle.describe();
        const triggers = description.memo?.triggers as { source: string; detail: string }[];
        expect(triggers.map((t) => t.source)).toEqual(['cli', 'schedule', 'airflow']);
        expect(triggers[2]?.detail).toMatch(/^aqi_hourly\/manual__/);
        expect(description.searchAttributes.AqiTrigger).toEqual(['airflow', 'cli', 'schedule']);
        expect(await runsOf(client, workflowId)).toBe(1);
      } finally {
        for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
        await client.schedule
          .getHandle(scheduleId)
          .delete()
          .catch(() => undefined);
        await client.connection.close();
      }
    },
    15 * 60_000,
  );
});

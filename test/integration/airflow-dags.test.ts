/**
 * The Airflow DAG tests (pytest, dags/tests) against the test stack: Airflow 3 standalone from the
 * project's venv beside the stack the global setup started (Temporal, workers, replay source, PostgreSQL).
 * Each pytest file is one test here; its output is shown when it fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from '../../config/runtime';
import { stackLayout } from '../../stack/layout';
import { airflowEnvironment, airflowService, airflowVenv } from '../../stack/services/airflow';

import { testConfig } from './test-env';

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
    ['the DagBag imports every DAG without touching Temporal', 'test_dagbag.py'],
    ['dag.test() of each DAG lands its rows or report, once', 'test_dags.py'],
    ['a two-day aqi_hourly backfill: one workflow per interval, none the second time', 'test_backfill.py'],
  ])('%s (dags/tests/%s)', (_title, file) => {
    const { status, output, report } = runPytest(file);
    if (status !== 0)
      throw new Error(`pytest dags/tests/${file} exited with ${String(status)}:\n${output.slice(-12_000)}`);
    const counts = junitCounts(report);
    expect(counts.tests).toBeGreaterThan(0);
    expect(counts).toEqual({ tests: counts.tests, failures: 0, errors: 0, skipped: 0 });
  });
});

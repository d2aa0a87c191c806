import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import type { Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import type { StackLayout } from '../layout';
import { requireFreePorts } from '../ports';
import { runningPid, startDetached, stopDetached } from '../processes';
import { ensureVenv } from '../tools/python-venv';
import { waitUntilReady } from '../wait';

import type { Progress, StackService } from './service';

export const airflowAdminUser = 'admin';
export const dagsFolder = path.join(repoRoot, 'dags');

/** Where the embedded Airflow's venv lives (shared by every stack instance, like the other tools). */
export function airflowVenv(layout: StackLayout): string {
  return path.join(layout.toolsDir, 'venvs', 'airflow');
}

/**
 * The environment every Airflow process of a stack runs with (standalone, the `airflow` CLI, the DAG tests):
 * its home in the state directory (config, logs), its metadata in the stack's PostgreSQL, this repository's DAGs, LocalExecutor,
 * the stack's Temporal as the `temporal_default` connection, its PostgreSQL and source as `aqi_postgres` and
 * `aqi_source`, and ports from the configuration.
 */
export function airflowEnvironment(config: Config, layout: StackLayout): NodeJS.ProcessEnv {
  const venv = airflowVenv(layout);
  const home = layout.dataDir('airflow');
  const pg = config.postgres;
  const [temporalHost = config.bindHost, temporalPort = '7233'] = config.temporal.address.split(':');
  const api = `http://${config.bindHost}:${config.airflow.port}`;
  return {
    ...process.env,
    PATH: `${path.join(venv, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    // The DAGs import their shared package (dags/aqi_airflow); the triggerer imports its trigger from there.
    PYTHONPATH: dagsFolder,
    PYTHONUNBUFFERED: '1',
    AIRFLOW_HOME: home,
    // Small pools: MLflow, the platform and Airflow share one PostgreSQL (max_connections 100).
    AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE: '2',
    AIRFLOW__DATABASE__SQL_ALCHEMY_MAX_OVERFLOW: '4',
    // The stack's PostgreSQL, not SQLite: the scheduler and `airflow dags test` may write at the same time.
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: `postgresql+psycopg2://${encodeURIComponent(pg.user)}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/${pg.airflowDatabase}`,
    AIRFLOW__CORE__DAGS_FOLDER: dagsFolder,
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__EXECUTOR: 'LocalExecutor',
    // Two cores: four task processes at once are plenty, as each only starts a workflow and defers.
    AIRFLOW__CORE__PARALLELISM: '4',
    AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: config.airflow.schedules ? 'True' : 'False',
    AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE: config.airflow.schedules ? 'True' : 'False',
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: `${airflowAdminUser}:admin`,
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE: path.join(home, 'simple_auth_manager_passwords.json'),
    AIRFLOW__API__HOST: config.bindHost,
    AIRFLOW__API__PORT: String(config.airflow.port),
    AIRFLOW__API__BASE_URL: api,
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `${api}/execution/`,
    AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT: String(config.airflow.logServerPort),
    AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT: String(config.airflow.logServerPort + 1),
    AIRFLOW_CONN_TEMPORAL_DEFAULT: JSON.stringify({
      conn_type: 'generic',
      host: temporalHost,
      port: Number(temporalPort),
      schema: config.temporal.namespace,
      extra: {
        task_queue: config.temporal.taskQueue,
        training_task_queue: config.temporal.trainingTaskQueue,
        ui_url: config.temporal.uiUrl,
      },
    }),
    // The sensors read the platform's readings and locations (dags/aqi_airflow/connections.py) and ask its
    // source whether an hour is published.
    AIRFLOW_CONN_AQI_POSTGRES: JSON.stringify({
      conn_type: 'postgres',
      host: pg.host,
      port: pg.port,
      login: pg.user,
      password: pg.password,
      schema: pg.database,
    }),
    AIRFLOW_CONN_AQI_SOURCE: JSON.stringify(sourceConnection(config.source.url)),
    // Where the daily DAG's summary points approvers.
    AIRFLOW_VAR_AQI_API_URL: config.api.url,
  };
}

/** The `aqi_source` connection (conn type http: scheme, host, port) of the source's base URL. */
export function sourceConnection(url: string): { conn_type: string; schema: string; host: string; port?: number } {
  const parsed = new URL(url);
  const port = parsed.port === '' ? undefined : Number(parsed.port);
  return { conn_type: 'http', schema: parsed.protocol.replace(':', ''), host: parsed.hostname, port };
}

// GET /api/v2/monitor/health: every component Airflow runs must report itself healthy.
const component = z.object({ status: z.string().nullable() });
const health = z.object({
  metadatabase: component,
  scheduler: component,
  triggerer: component,
  dag_processor: component,
});

/**
 * Airflow 3 from PyPI in its own venv (`stack/python/airflow-requirements.txt`), run as `airflow standalone`
 * (API server with the UI, scheduler, DAG processor, triggerer) over `dags/`. Optional: `npm start --
 * --with-airflow` and the DAG tests start it; the admin login is `admin` / AIRFLOW_ADMIN_PASSWORD.
 */
export function airflowService(config: Config, layout: StackLayout, progress: Progress): StackService {
  const logFile = layout.logFile('airflow');
  const isReady = async () => {
    const response = await fetch(`${config.airflow.url}/api/v2/monitor/health`, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) return false;
    const parsed = health.safeParse(await response.json());
    return parsed.success && Object.values(parsed.data).every((c) => c.status === 'healthy');
  };
  return {
    name: 'airflow',
    install: async () => {
      await ensureVenv({
        toolsDir: layout.toolsDir,
        name: 'airflow',
        requirementsFile: path.join(repoRoot, 'stack', 'python', 'airflow-requirements.txt'),
        python: config.tools.python,
        progress,
      });
    },
    isReady,
    start: async () => {
      if (runningPid(layout, 'airflow') === undefined) {
        await requireFreePorts('Airflow', config.bindHost, {
          AIRFLOW_PORT: config.airflow.port,
          AIRFLOW_LOG_SERVER_PORT: config.airflow.logServerPort,
          'AIRFLOW_LOG_SERVER_PORT (+1, triggerer)': config.airflow.logServerPort + 1,
        });
        const env = airflowEnvironment(config, layout);
        const passwords = env.AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE ?? '';
        writeFileSync(passwords, `${JSON.stringify({ [airflowAdminUser]: config.airflow.adminPassword })}\n`);
        startDetached(layout, {
          name: 'airflow',
          command: path.join(airflowVenv(layout), 'bin', 'airflow'),
          args: ['standalone'],
          env,
        });
      }
      // The first start creates the metadata database and parses the DAGs.
      await waitUntilReady('Airflow', isReady, {
        timeoutMs: 240_000,
        intervalMs: 2000,
        logFile,
        alive: () => runningPid(layout, 'airflow') !== undefined,
      });
    },
    stop: async () => {
      await stopDetached(layout, 'airflow', 30_000);
    },
    addresses: () => ({ url: config.airflow.url, login: `${airflowAdminUser} / AIRFLOW_ADMIN_PASSWORD` }),
  };
}

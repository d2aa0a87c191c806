import path from 'node:path';

import { loadConfig, type Config } from '../../config';
import { repoRoot } from '../../config/runtime';
import { readSupervisedState, supervisorStateFile } from '../../stack/supervisor/state';

/**
 * The integration tests' own stack: its own state directory and ports, so a stack started by `npm start`
 * keeps running untouched. Installs (venvs, jars) are shared through AQI_TOOLS_DIR.
 *
 * AQI_TEST_PORT_OFFSET (default 0) shifts every port and the state directory, so a second checkout or a
 * helper can run integration tests beside a running suite: `AQI_TEST_PORT_OFFSET=100 npx jest …`.
 */
const offset = Number(process.env.AQI_TEST_PORT_OFFSET ?? 0);
if (!Number.isInteger(offset) || offset < 0 || offset > 9000) {
  throw new Error(`AQI_TEST_PORT_OFFSET must be an integer from 0 to 9000, got "${process.env.AQI_TEST_PORT_OFFSET}"`);
}
/**
 * The test stack's ports shifted by `offset` (the bench's scratch stacks use them too). Every base port,
 * the webhook receiver's 18977 and Prometheus's 19088 included, ends in its own two digits, so two stacks
 * whose offsets are different multiples of 100 never want the same port.
 */
export function testStackPorts(offset: number) {
  const port = (base: number) => String(base + offset);
  return {
    TEMPORAL_GRPC_PORT: port(17233),
    TEMPORAL_UI_PORT: port(18255),
    TEMPORAL_HTTP_PORT: port(17243),
    POSTGRES_PORT: port(15432),
    KAFKA_PORT: port(19092),
    KAFKA_CONTROLLER_PORT: port(19099),
    MLFLOW_PORT: port(15000),
    API_PORT: port(18011),
    REPLAY_PORT: port(18122),
    AIRFLOW_PORT: port(18080),
    AIRFLOW_LOG_SERVER_PORT: port(18766),
    WORKER_METRICS_PORT: port(19461),
    TRAINER_METRICS_PORT: port(19462),
    STREAM_METRICS_PORT: port(19463),
    DETECTOR_METRICS_PORT: port(19464),
    ALERT_INBOX_PORT: port(18974),
  };
}

/** Derived addresses emptied, so they follow the ports given, whatever the developer's .env says. */
export const derivedAddressesFromPorts = {
  TEMPORAL_ADDRESS: '',
  TEMPORAL_UI_URL: '',
  POSTGRES_HOST: '',
  KAFKA_BROKERS: '',
  MLFLOW_TRACKING_URI: '',
  API_PUBLIC_URL: '',
  REPLAY_URL: '',
};

export const testEnv = {
  AQI_STATE_DIR: offset === 0 ? '.stack-test' : `.stack-test-${offset}`,
  LOG_LEVEL: 'warn',
  ...testStackPorts(offset),
  // Only the runs the tests make (dags test, backfills): no hourly runs of the replay's "now" on the side.
  AIRFLOW_SCHEDULES: 'off',
  // Short, so a test can see an alias moved in the registry reach the API.
  MODEL_POLL_INTERVAL: '2s',
  // The suite sends many changes under one key (and every deploy POSTs /reload); the limit itself is tested
  // in api/middleware/rate-limit.test.ts.
  API_MUTATION_RATE_LIMIT: '100000/min',
  AQI_SOURCE: 'replay',
  // The worker's alerts go to the suite's webhook receiver (global setup; alerts.test.ts reads it): a JSON
  // and a Slack target that take them, and one that refuses for good (its deliveries are given up).
  ALERT_WEBHOOKS: ['json=/alerts', 'slack=/slack', 'json=/gone']
    .map((t) => t.replace('=', `=http://127.0.0.1:${String(18977 + offset)}`))
    .join(','),
  ...derivedAddressesFromPorts,
};

/** The suite's webhook receiver (see `webhook-receiver.ts`): its port and how each path answers. */
export const testWebhookReceiver = { port: 18977 + offset, answers: { '/gone': 404 } };

/** The Prometheus that prometheus.test.ts runs over the test stack (deploy/prometheus's rules, these targets). */
export const testPrometheusPort = 19088 + offset;

export const testStateDir = path.resolve(repoRoot, testEnv.AQI_STATE_DIR);

export function testProcessEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...testEnv };
}

export function testConfig(): Config {
  return loadConfig(testProcessEnv());
}

/** Runs the stack CLI the way a user does (`tsx stack/cli.ts …`) against the test stack. */
export function stackCommand(...args: string[]): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', path.join(repoRoot, 'stack', 'cli.ts'), ...args],
    env: testProcessEnv(),
  };
}

/**
 * The pid of a platform process the test stack supervises (worker, trainer, stream, api): the process that
 * does the work, which a crash test kills; its supervisor (the pid file's process) then restarts it.
 */
export function supervisedPid(name: string): number {
  const pid = readSupervisedState(supervisorStateFile(path.join(testStateDir, 'run'), name))?.pid;
  if (pid === undefined) throw new Error(`no running ${name} under its supervisor`);
  return pid;
}

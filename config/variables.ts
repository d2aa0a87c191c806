import { z } from 'zod';

import { parseAlertTargets } from '../core/alerts/targets';

/**
 * Every environment variable the platform reads, with its default and the reason it exists.
 * `.env.example` is checked against this list by a test, so the two cannot drift apart.
 */
const port = z.coerce.number().int().min(1).max(65535);
const text = z.string().min(1);
/** A process's Prometheus endpoint; 0 picks a free port (tests, a second instance on one machine). */
const metricsPort = z.coerce.number().int().min(0).max(65535);

/** What an API key may be allowed to do: one permission per family of changing routes. */
export const apiPermissions = ['pipelines', 'approve', 'models', 'locations', 'sensors', 'incidents'] as const;
const permission = `(?:${apiPermissions.join('|')})`;
const apiKeyEntry = `[\\w.-]+:[^:,\\s]{8,}:${permission}(?:\\+${permission})*`;

/** `secret`: a value that must never be echoed (in a configuration error, a log line). */
function variable<T extends z.ZodType>(
  schema: T,
  defaultValue: string | undefined,
  doc: string,
  options: { secret?: boolean } = {},
) {
  return { schema, defaultValue, doc, secret: options.secret ?? false };
}

export const variables = {
  AQI_STATE_DIR: variable(text, '.stack', 'Runtime state of the embedded stack: data, logs, pid files'),
  AQI_TOOLS_DIR: variable(
    text,
    '.tools',
    'Installed tools shared by every stack: Python venvs, Kafka jars, Prometheus',
  ),
  LOG_LEVEL: variable(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
    'info',
    'Log level of workers, API and stack commands',
  ),
  BIND_HOST: variable(text, '127.0.0.1', 'Interface the embedded services listen on'),
  AQI_PYTHON: variable(text, 'python3', 'Python 3.11+ used to create the Temporal CLI, MLflow and other tool venvs'),
  AQI_JAVA: variable(text, 'java', 'Java 17+ that runs the Kafka broker'),
  AQI_GO: variable(text, 'go', 'Go 1.23+ that builds Prometheus for the integration tests (once, into AQI_TOOLS_DIR)'),

  TEMPORAL_GRPC_PORT: variable(port, '7233', 'Temporal frontend gRPC port (dev server)'),
  TEMPORAL_UI_PORT: variable(port, '8233', 'Temporal Web UI port (dev server)'),
  TEMPORAL_HTTP_PORT: variable(port, '7243', 'Temporal HTTP API port (dev server)'),
  TEMPORAL_ADDRESS: variable(text, undefined, 'host:port of Temporal; defaults to BIND_HOST:TEMPORAL_GRPC_PORT'),
  TEMPORAL_UI_URL: variable(
    z.url(),
    undefined,
    'Public URL of the Web UI; defaults to http://BIND_HOST:TEMPORAL_UI_PORT',
  ),
  TEMPORAL_NAMESPACE: variable(text, 'aqi', 'Temporal namespace of every workflow'),
  TEMPORAL_TASK_QUEUE: variable(text, 'aqi-pipeline', 'Task queue of the pipeline worker'),
  TEMPORAL_TRAINING_TASK_QUEUE: variable(
    text,
    'aqi-training',
    'Task queue of the training worker (CPU-bound model training and evaluation)',
  ),
  TEMPORAL_UPDATE_WAIT_SECONDS: variable(
    z.coerce.number().positive().max(3600),
    '60',
    'How long an approval or incident action waits for a worker to answer before a 503 (no worker took it)',
  ),

  POSTGRES_PORT: variable(port, '5432', 'PostgreSQL port (embedded server)'),
  POSTGRES_HOST: variable(text, undefined, 'PostgreSQL host; defaults to BIND_HOST'),
  POSTGRES_USER: variable(text, 'aqi', 'PostgreSQL role of the platform'),
  POSTGRES_PASSWORD: variable(text, 'aqi', 'Password of POSTGRES_USER', { secret: true }),
  POSTGRES_DB: variable(text, 'aqi', 'Database of the platform (readings, reports)'),
  MLFLOW_DB: variable(text, 'mlflow', 'Database MLflow keeps its tracking and registry store in'),
  AIRFLOW_DB: variable(text, 'airflow', "Database of the embedded Airflow's metadata (DAG runs, task instances)"),

  KAFKA_PORT: variable(port, '9092', 'Kafka broker port (embedded broker)'),
  KAFKA_CONTROLLER_PORT: variable(port, '9093', 'Kafka KRaft controller port (embedded broker)'),
  KAFKA_HEAP: variable(
    z.string().regex(/^\d+[mg]$/, 'a JVM size such as 512m or 1g'),
    '512m',
    'Max JVM heap of the broker',
  ),
  KAFKA_BROKERS: variable(text, undefined, 'Comma-separated host:port list; defaults to BIND_HOST:KAFKA_PORT'),
  KAFKA_CLIENT_ID: variable(text, 'aqi-platform', 'Client id the platform uses towards Kafka'),

  MLFLOW_PORT: variable(port, '5000', 'MLflow tracking server port (embedded server)'),
  MLFLOW_TRACKING_URI: variable(z.url(), undefined, 'MLflow server URL; defaults to http://BIND_HOST:MLFLOW_PORT'),
  MLFLOW_EXPERIMENT: variable(text, 'aqi-training', 'MLflow experiment the training pipelines log their runs in'),
  MLFLOW_MONITORING_EXPERIMENT: variable(
    text,
    'aqi-monitoring',
    'MLflow experiment the champion monitor (monitorChampion) logs its drift reports in',
  ),
  AIRFLOW_PORT: variable(port, '8080', 'Airflow API server and UI port (`npm start -- --with-airflow`)'),
  AIRFLOW_LOG_SERVER_PORT: variable(
    port,
    '8793',
    "Airflow's task log server port; the triggerer's log server takes the next port",
  ),
  AIRFLOW_ADMIN_PASSWORD: variable(text, 'aqi-airflow-admin', "Password of the embedded Airflow's `admin` user", {
    secret: true,
  }),
  AIRFLOW_SCHEDULES: variable(
    z.enum(['on', 'off']),
    'on',
    'on: Airflow schedules the DAGs (created paused; unpause them in the UI); off: only manual runs and backfills (DAGs created unpaused)',
  ),
  PROMOTION_APPROVAL_TIMEOUT: variable(
    z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 72h, 30m or 10s'),
    '72h',
    'How long a registered challenger waits for a human decision before the request expires',
  ),
  PROMOTION_TOLERANCE: variable(
    z.coerce.number().min(0).max(1),
    '0.05',
    'A challenger may be at most this fraction worse (holdout MAE) than the champion of its kind',
  ),
  RETRAIN_MAE_MARGIN: variable(
    z.coerce.number().min(0).max(10),
    '0.25',
    'Retrain a champion when its live MAE is worse than its holdout MAE by more than this fraction (over RETRAIN_MIN_HOURS)',
  ),
  RETRAIN_MIN_HOURS: variable(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90),
    '72',
    'Hours with their actual a live MAE needs before it may start a retrain',
  ),
  RETRAIN_DRIFT_WINDOWS: variable(
    z.coerce.number().int().min(1).max(12),
    '3',
    'Dataset drift starts a retrain only when this many disjoint report windows in a row show it (one week is noisy)',
  ),
  RETRAIN_COOLDOWN: variable(
    z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 7d or 12h'),
    '7d',
    'After a retrain starts, later triggers for the same model join it for this long instead of starting another',
  ),
  SENSOR_DETECTOR_THRESHOLDS: variable(
    text,
    '{}',
    "JSON overrides of the anomaly checks' thresholds and allowed lateness (core/sensors/thresholds/)",
  ),
  SENSOR_READINGS_TOPIC: variable(
    z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'a Kafka topic name'),
    'sensors.raw',
    'Where POST /sensors/readings sends readings (the detector reads sensors.raw; another topic keeps them apart, e.g. for a contract fuzz)',
  ),
  WORKER_METRICS_PORT: variable(
    metricsPort,
    '9464',
    "Port of the pipeline worker's Prometheus metrics (Temporal SDK's workflow and activity metrics; GET /metrics)",
  ),
  TRAINER_METRICS_PORT: variable(
    metricsPort,
    '9465',
    "Port of the training worker's Prometheus metrics (Temporal SDK's activity metrics; GET /metrics)",
  ),
  DETECTOR_METRICS_PORT: variable(
    metricsPort,
    '9466',
    "Port of the anomaly detector's Prometheus metrics (GET /metrics; 0 picks a free one)",
  ),
  STREAM_METRICS_PORT: variable(
    metricsPort,
    '9467',
    "Port of the stream processor's Prometheus metrics (GET /metrics; 0 picks a free one)",
  ),
  SENSOR_INCIDENT_ESCALATE_AFTER: variable(
    z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30m or 10s'),
    '30m',
    'How long an unacknowledged sensor incident waits before it escalates (and again, up to 3 times)',
  ),
  GIT_COMMIT: variable(text, undefined, 'Commit recorded in model lineage tags; defaults to `git rev-parse HEAD`'),

  AQI_SOURCE: variable(
    z.enum(['replay', 'open-meteo']),
    'replay',
    'Where readings come from: the replay server over bundled exports (offline) or the live Open-Meteo API',
  ),
  OPEN_METEO_URL: variable(
    z.url(),
    'https://air-quality-api.open-meteo.com',
    'Base URL of the live Open-Meteo Air Quality API',
  ),
  REPLAY_PORT: variable(port, '8100', 'Port of the Open-Meteo-compatible replay server (embedded stack)'),
  REPLAY_URL: variable(
    z.url(),
    undefined,
    'URL of the replay server clients call; defaults to http://BIND_HOST:REPLAY_PORT',
  ),
  REPLAY_DATA_DIR: variable(text, 'data/open-meteo', 'Folder of Open-Meteo CSV exports the replay server serves'),
  REPLAY_NOW: variable(
    z.iso.datetime({ offset: true }),
    '2024-12-31T23:00:00Z',
    'The replay server\'s clock: what "current" and "past_days" are relative to',
  ),

  API_PORT: variable(z.coerce.number().int().min(0).max(65535), '8000', 'HTTP port of the API (0 picks a free one)'),
  API_PUBLIC_URL: variable(z.url(), undefined, 'URL users reach the API at; defaults to http://BIND_HOST:API_PORT'),
  ALERT_WEBHOOKS: variable(
    z.string().superRefine((value, ctx) => {
      try {
        parseAlertTargets(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      }
    }),
    '',
    'Alert targets: format=url entries (json, slack, discord) separated by commas; empty: the worker log only',
    { secret: true },
  ),
  ALERT_INBOX_PORT: variable(
    port,
    '9470',
    "Port of the embedded stack's alert inbox, a local webhook that shows the alerts it receives; npm start sends alerts there when ALERT_WEBHOOKS is empty",
  ),
  ALERT_MAX_ATTEMPTS: variable(
    z.coerce.number().int().min(1).max(100),
    '6',
    'Attempts (Temporal retries with backoff) before an undelivered alert is given up and recorded',
  ),
  API_KEYS: variable(
    z
      .string()
      .regex(
        new RegExp(`^${apiKeyEntry}(,${apiKeyEntry})*$`),
        `name:key:permission[+permission] entries separated by commas; keys of 8+ characters; permissions ${apiPermissions.join(', ')}`,
      ),
    `demo:aqi-local-demo-key:${apiPermissions.join('+')}`,
    'API keys for the mutating endpoints (Authorization: Bearer <key>); the default is for the local stack only',
    { secret: true },
  ),
  API_MUTATION_RATE_LIMIT: variable(
    z.string().regex(/^[1-9]\d*\/(s|min|h)$/, 'requests per window, such as 60/min, 5/s or 1000/h'),
    '60/min',
    'Most POST/DELETE requests (pipelines, approvals, locations, /reload) one API key, or one address without a key, may send per window; 429 above it',
  ),
  API_MAX_BATCH_ROWS: variable(z.coerce.number().int().min(1), '10000', 'Most rows one POST /predict may carry'),
  API_WORKERS: variable(
    z.coerce.number().int().min(1).max(64),
    '1',
    'API processes sharing API_PORT (node:cluster); set it to the number of cores for throughput',
  ),
  API_MAX_BODY: variable(
    z.string().regex(/^\d+(b|kb|mb)$/, 'a size such as 5mb or 512kb'),
    '5mb',
    'Largest request body the API reads (413 above it)',
  ),
  MODEL_POLL_INTERVAL: variable(
    z.string().regex(/^\d+(ms|s|m|h)$/, 'a duration such as 30s or 5m; 0s turns polling off'),
    '30s',
    'How often the API checks the registry for new champions (of any model and forecast horizon)',
  ),
  RELOAD_MIN_INTERVAL: variable(
    z.string().regex(/^\d+(ms|s|m|h)$/, 'a duration such as 5s or 1m; 0s reloads at every GET /reload'),
    '5s',
    'The open GET /reload reaches the registry at most once per interval, answering the last outcome in between (POST /reload, with a key, always reloads)',
  ),
} as const;

export type VariableName = keyof typeof variables;

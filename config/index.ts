import { type z } from 'zod';

import { parseAlertTargets, type AlertTarget } from '../core/alerts/targets';
import { AppError } from '../core/errors';
import { durationMs } from '../core/training/promotion';

import { variables, type apiPermissions, type VariableName } from './variables';

type Raw = { [K in VariableName]: z.output<(typeof variables)[K]['schema']> | undefined };

/** The platform's configuration: one validated object, built once at start-up from the environment. */
export interface Config {
  stateDir: string;
  toolsDir: string;
  logLevel: Raw['LOG_LEVEL'] & string;
  bindHost: string;
  tools: { python: string; java: string; go: string };
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    trainingTaskQueue: string;
    grpcPort: number;
    uiPort: number;
    httpPort: number;
    uiUrl: string;
    /** How long an update (approval, incident action) waits for a worker's answer. */
    updateWaitMs: number;
  };
  postgres: {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    mlflowDatabase: string;
    airflowDatabase: string;
    url: string;
  };
  kafka: { brokers: string[]; port: number; controllerPort: number; heap: string; clientId: string };
  mlflow: { port: number; url: string; experiment: string; monitoringExperiment: string };
  promotion: { approvalTimeout: string; tolerance: number };
  /** When the monitor's evidence starts a retrain (RETRAIN_*; core/monitoring/retraining/policy.ts). */
  retraining: { maeMargin: number; minHours: number; driftWindows: number; cooldownMs: number };
  /** The anomaly detector of sensors.raw: threshold overrides (JSON text, lateness included), incidents. */
  sensors: { thresholds: string; incidentEscalateAfter: string; readingsTopic: string };
  /** The ports each process serves its Prometheus metrics on (the API serves its own at API_PORT /metrics). */
  metrics: { workerPort: number; trainerPort: number; streamPort: number; detectorPort: number };
  airflow: { port: number; logServerPort: number; url: string; adminPassword: string; schedules: boolean };
  gitCommit?: string;
  source: {
    kind: 'replay' | 'open-meteo';
    /** Base URL the Open-Meteo client calls: the live API or the replay server, by `kind`. */
    url: string;
    replay: { port: number; dataDir: string; now: string };
  };
  /** Who hears about what needs a person: ALERT_WEBHOOKS (URLs are secrets) and the give-up attempt. */
  alerts: {
    targets: AlertTarget[];
    maxAttempts: number;
    /** The embedded stack's alert inbox (`npm start`'s webhook when ALERT_WEBHOOKS is empty). */
    inbox: { port: number; url: string };
  };
  api: {
    port: number;
    url: string;
    /** The dashboard's page, `<url>/dashboard/`. */
    dashboardUrl: string;
    maxBatchRows: number;
    maxBody: string;
    workers: number;
    /** Milliseconds between registry polls; 0 turns polling off. */
    modelPollMs: number;
    /** Who may call the mutating endpoints: the key's name is the approver recorded for its approvals. */
    keys: ApiKey[];
    /** POST/DELETE requests one key (or one address without a key) may send per window. */
    mutationRateLimit: { limit: number; windowMs: number };
    /** The open GET /reload reaches the registry at most once per this many milliseconds. */
    reloadMinIntervalMs: number;
  };
}

export type ApiPermission = (typeof apiPermissions)[number];
export interface ApiKey {
  name: string;
  key: string;
  permissions: ApiPermission[];
}

/**
 * Builds the configuration from `env`. Every problem is reported at once, each naming its variable and
 * what was expected, in an `AppError` with code `CONFIG_INVALID`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const raw: Partial<Record<VariableName, unknown>> = {};
  for (const name of Object.keys(variables) as VariableName[]) {
    const { schema, defaultValue, secret } = variables[name];
    const given = env[name] === '' ? undefined : env[name];
    const value = given ?? defaultValue;
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) raw[name] = parsed.data;
    else {
      // A secret's value is never echoed: a config error ends up in logs and CI output.
      const shown = secret ? `<${String(value).length} characters, not shown>` : JSON.stringify(value);
      problems.push(`${name}=${shown}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
  }
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  ${problems.join('\n  ')}`, { operational: true });
  }
  return assemble(raw as Raw);
}

function assemble(v: Raw): Config {
  const req = <K extends VariableName>(name: K): NonNullable<Raw[K]> => {
    const value = v[name];
    if (value === undefined || value === null) throw new AppError('CONFIG_INVALID', `${name} is required`);
    return value as NonNullable<Raw[K]>;
  };
  const host = req('BIND_HOST');
  const pg = {
    host: v.POSTGRES_HOST ?? host,
    port: req('POSTGRES_PORT'),
    user: req('POSTGRES_USER'),
    password: req('POSTGRES_PASSWORD'),
    database: req('POSTGRES_DB'),
  };
  const apiPort = req('API_PORT');
  return {
    stateDir: req('AQI_STATE_DIR'),
    toolsDir: req('AQI_TOOLS_DIR'),
    logLevel: req('LOG_LEVEL'),
    bindHost: host,
    tools: { python: req('AQI_PYTHON'), java: req('AQI_JAVA'), go: req('AQI_GO') },
    temporal: {
      address: v.TEMPORAL_ADDRESS ?? `${host}:${req('TEMPORAL_GRPC_PORT')}`,
      namespace: req('TEMPORAL_NAMESPACE'),
      taskQueue: req('TEMPORAL_TASK_QUEUE'),
      trainingTaskQueue: req('TEMPORAL_TRAINING_TASK_QUEUE'),
      grpcPort: req('TEMPORAL_GRPC_PORT'),
      uiPort: req('TEMPORAL_UI_PORT'),
      httpPort: req('TEMPORAL_HTTP_PORT'),
      uiUrl: stripSlash(v.TEMPORAL_UI_URL ?? `http://${host}:${req('TEMPORAL_UI_PORT')}`),
      updateWaitMs: req('TEMPORAL_UPDATE_WAIT_SECONDS') * 1000,
    },
    postgres: {
      ...pg,
      mlflowDatabase: req('MLFLOW_DB'),
      airflowDatabase: req('AIRFLOW_DB'),
      url: `postgresql://${encodeURIComponent(pg.user)}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/${pg.database}`,
    },
    kafka: {
      brokers: (v.KAFKA_BROKERS ?? `${host}:${req('KAFKA_PORT')}`)
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      port: req('KAFKA_PORT'),
      controllerPort: req('KAFKA_CONTROLLER_PORT'),
      heap: req('KAFKA_HEAP'),
      clientId: req('KAFKA_CLIENT_ID'),
    },
    mlflow: {
      port: req('MLFLOW_PORT'),
      url: stripSlash(v.MLFLOW_TRACKING_URI ?? `http://${host}:${req('MLFLOW_PORT')}`),
      experiment: req('MLFLOW_EXPERIMENT'),
      monitoringExperiment: req('MLFLOW_MONITORING_EXPERIMENT'),
    },
    promotion: { approvalTimeout: req('PROMOTION_APPROVAL_TIMEOUT'), tolerance: req('PROMOTION_TOLERANCE') },
    retraining: {
      maeMargin: req('RETRAIN_MAE_MARGIN'),
      minHours: req('RETRAIN_MIN_HOURS'),
      driftWindows: req('RETRAIN_DRIFT_WINDOWS'),
      cooldownMs: durationMs(req('RETRAIN_COOLDOWN')),
    },
    sensors: {
      thresholds: req('SENSOR_DETECTOR_THRESHOLDS'),
      incidentEscalateAfter: req('SENSOR_INCIDENT_ESCALATE_AFTER'),
      readingsTopic: req('SENSOR_READINGS_TOPIC'),
    },
    metrics: {
      workerPort: req('WORKER_METRICS_PORT'),
      trainerPort: req('TRAINER_METRICS_PORT'),
      streamPort: req('STREAM_METRICS_PORT'),
      detectorPort: req('DETECTOR_METRICS_PORT'),
    },
    airflow: {
      port: req('AIRFLOW_PORT'),
      logServerPort: req('AIRFLOW_LOG_SERVER_PORT'),
      url: `http://${host}:${req('AIRFLOW_PORT')}`,
      adminPassword: req('AIRFLOW_ADMIN_PASSWORD'),
      schedules: req('AIRFLOW_SCHEDULES') === 'on',
    },
    ...(v.GIT_COMMIT === undefined ? {} : { gitCommit: v.GIT_COMMIT }),
    source: {
      kind: req('AQI_SOURCE'),
      url: stripSlash(req('AQI_SOURCE') === 'replay' ? `http://${host}:${req('REPLAY_PORT')}` : req('OPEN_METEO_URL')),
      replay: { port: req('REPLAY_PORT'), dataDir: req('REPLAY_DATA_DIR'), now: req('REPLAY_NOW') },
    },
    alerts: {
      targets: parseAlertTargets(req('ALERT_WEBHOOKS')),
      maxAttempts: req('ALERT_MAX_ATTEMPTS'),
      inbox: { port: req('ALERT_INBOX_PORT'), url: `http://${host}:${req('ALERT_INBOX_PORT')}` },
    },
    api: {
      port: apiPort,
      url: stripSlash(v.API_PUBLIC_URL ?? `http://${host}:${apiPort}`),
      dashboardUrl: `${stripSlash(v.API_PUBLIC_URL ?? `http://${host}:${apiPort}`)}/dashboard/`,
      maxBatchRows: req('API_MAX_BATCH_ROWS'),
      maxBody: req('API_MAX_BODY'),
      workers: req('API_WORKERS'),
      modelPollMs: durationMs(req('MODEL_POLL_INTERVAL')),
      keys: req('API_KEYS')
        .split(',')
        .map((entry) => {
          const [name = '', key = '', permissions = ''] = entry.split(':');
          return { name, key, permissions: permissions.split('+') as ApiPermission[] };
        }),
      mutationRateLimit: rateLimit(req('API_MUTATION_RATE_LIMIT')),
      reloadMinIntervalMs: durationMs(req('RELOAD_MIN_INTERVAL')),
    },
  };
}

/** `60/min` → 60 requests per 60 000 ms (the variable's schema has checked the form). */
function rateLimit(text: string): { limit: number; windowMs: number } {
  const [count = '', unit = ''] = text.split('/');
  const unitMs: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000 };
  return { limit: Number(count), windowMs: unitMs[unit] ?? 60_000 };
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

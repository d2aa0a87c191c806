import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';

import { Client, Connection } from '@temporalio/client';
import { Partitioners } from 'kafkajs';

import { closeOnSignals } from '../adapters/http/graceful-shutdown';
import { createKafka } from '../adapters/kafka/client';
import { createLiveFeed } from '../adapters/kafka/live-feed';
import { createLogger, type Logger } from '../adapters/logger';
import { createMlflowClient } from '../adapters/mlflow/client';
import { createForecastHistory } from '../adapters/postgres/latest-history';
import { createPool } from '../adapters/postgres/pool';
import { logPredictions } from '../adapters/postgres/prediction-log';
import type { Config } from '../config';
import { configFromEnvironment } from '../config/runtime';
import { AppError, describeError } from '../core/errors';
import type { SensorReading } from '../core/sensors/reading';
import { modelNameFor } from '../core/training/promotion';

import { createApp } from './app';
import { awaitFirstLoad } from './cluster/first-load';
import { workerLink, type ClusterLink } from './cluster/ipc';
import { runApiPrimary } from './cluster/primary';
import { createModelStore, type ModelStore, type ReloadOutcome } from './models/model-store';
import { createPredictionRecorder } from './predictions/prediction-recorder';

/**
 * The API process: serves the app, and on SIGTERM/SIGINT stops accepting, drains, then closes its pools.
 * With API_WORKERS > 1 this process is the primary of that many API processes on the same port.
 */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('api', config.logLevel);
  if (config.api.workers > 1 && cluster.isPrimary) {
    runApiPrimary({ workers: config.api.workers, logger });
    return;
  }
  const link = cluster.isWorker
    ? workerLink({
        send: (message) => process.send?.(message),
        onMessage: (listener) => process.on('message', listener),
      })
    : undefined;
  const pool = createPool(config, { applicationName: 'aqi-api', logger });
  const temporal = await Connection.connect({ address: config.temporal.address });
  const temporalClient = new Client({ connection: temporal, namespace: config.temporal.namespace });
  const mlflow = createMlflowClient(config.mlflow.url);
  const predictModel = modelNameFor('instant', 0);
  // Every champion of the platform's models in the registry, any horizon, found again at each poll.
  const localModels = createModelStore({ mlflow, logger });
  const models = link ? reloadEverywhere(localModels, link) : localModels;
  // The champions arrive as soon as the registry answers (and with every poll after).
  const firstLoad = localModels.reload();
  models.startPolling(config.api.modelPollMs);
  // Alone, the process serves at once (/ready says when the model is there); in a cluster, it waits for its
  // first load (bounded) so that it never answers 503 NO_MODEL where a sibling would have answered.
  if (link && !(await awaitFirstLoad(firstLoad, clusterFirstLoadWaitMs))) {
    logger.warn({ waitedMs: clusterFirstLoadWaitMs }, 'champions not loaded yet; listening anyway');
  }

  // What /forecast predicts for real hours goes to the prediction log (live accuracy), written in batches.
  const predictions = createPredictionRecorder({ write: (rows) => logPredictions(pool, rows, 'api'), logger });
  const liveFeed = createLiveFeed({ kafka: createKafka(config, logger), logger });
  liveFeed.start();
  const temporalFor = () => Promise.resolve(temporalClient);
  const app = createApp({
    logger,
    models,
    serving: { predictModel, maxBatchRows: config.api.maxBatchRows, maxBodyBytes: config.api.maxBody },
    keys: config.api.keys,
    limits: { mutations: config.api.mutationRateLimit, reloadMinIntervalMs: config.api.reloadMinIntervalMs },
    ...(link ? { cluster: link } : {}),
    forecast: { store: models, history: createForecastHistory(pool), predictions },
    pipelines: { temporal: () => Promise.resolve(temporalClient), config, keys: config.api.keys },
    locations: { pool },
    sensors: { pool, publish: sensorPublisher(config, logger) },
    incidents: { pool, config, temporal: () => Promise.resolve(temporalClient) },
    monitoring: { pool },
    timeline: { pool },
    quality: { pool, config },
    promotions: { pool, mlflow, config, temporal: temporalFor },
    liveFeed,
    links: config,
    dashboard: true,
    readiness: {
      model: () => {
        if (!models.get(predictModel)) throw new Error(`no champion of ${predictModel} loaded yet`);
        return Promise.resolve();
      },
      mlflow: async () => {
        await mlflow.searchRegisteredModels(1);
      },
      postgres: async () => {
        await pool.query('SELECT 1');
      },
      temporal: async () => {
        await temporal.workflowService.describeNamespace({ namespace: config.temporal.namespace });
      },
    },
  });
  const server = app.listen(config.api.port, config.bindHost, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port, url: `http://${config.bindHost}:${port}` }, 'api listening');
  });

  closeOnSignals(server, logger, {
    name: 'api',
    // The event streams never end by themselves: ended first, so the drain does not wait for them.
    interrupt: () => liveFeed.stop(),
    release: async () => {
      models.stop();
      await predictions.flush();
      return Promise.allSettled([pool.end(), temporal.close()]);
    },
  });
}

/**
 * Sends readings to `sensors.raw` (SENSOR_READINGS_TOPIC) keyed by sensor id (one sensor, one partition, as devices do), connecting
 * on first use and again after a failure, so the API starts and serves while Kafka is away (a POST then
 * answers 503 and the client retries).
 */
function sensorPublisher(config: Config, logger: Logger) {
  const producer = createKafka(config, logger).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let connected: Promise<void> | undefined;
  return async (readings: SensorReading[]) => {
    try {
      await (connected ??= producer.connect());
      await producer.send({
        topic: config.sensors.readingsTopic,
        messages: readings.map((r) => ({ key: r.sensor_id, value: JSON.stringify(r) })),
      });
    } catch (err) {
      connected = undefined;
      throw new AppError(
        'BROKER_UNAVAILABLE',
        `${config.sensors.readingsTopic} did not take the readings: ${describeError(err)}`,
        {
          httpStatus: 503,
          cause: err,
        },
      );
    }
  };
}

/** How long a cluster's API process waits for its first load of the champions before it listens anyway. */
const clusterFirstLoadWaitMs = 30_000;

/**
 * In a cluster, `/reload` reaches every API process (the deploy step's confirmation may be answered by any
 * of them); polling, and so finding a new horizon's champion, stays per process.
 */
function reloadEverywhere(local: ModelStore, link: ClusterLink): ModelStore {
  link.answer('reload', () => local.reload());
  return { ...local, reload: () => link.ask<ReloadOutcome[]>('reload') };
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

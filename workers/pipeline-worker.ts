import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';

import { createActivities } from '../activities';
import { createWebhookSender } from '../adapters/alerts/webhook';
import { createKafka } from '../adapters/kafka/client';
import { createLogger } from '../adapters/logger';
import { createMlflowClient } from '../adapters/mlflow/client';
import { createOpenMeteoClient } from '../adapters/open-meteo/client';
import { fetchReplayHoldings } from '../adapters/open-meteo/replay-holdings';
import { createPool } from '../adapters/postgres/pool';
import { createPostgresRepositories } from '../adapters/postgres/repositories';
import { workflowUrl } from '../adapters/temporal/client';
import { installTemporalRuntime } from '../adapters/temporal/runtime';
import { configFromEnvironment, gitCommit } from '../config/runtime';
import { AppError, describeError } from '../core/errors';
import { resolveDetectorThresholds, type DetectorThresholds } from '../core/sensors/thresholds';

/**
 * The worker of the `aqi-pipeline` task queue: runs every workflow of the platform and its activities.
 * SIGINT/SIGTERM stop polling, let running activities finish (up to the grace time), then close pools.
 */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('pipeline-worker', config.logLevel);
  installTemporalRuntime({ logger, metrics: { host: config.bindHost, port: config.metrics.workerPort } });
  // The daily sensor rollup judges drift and neighbours with the detector's thresholds.
  let thresholds: DetectorThresholds;
  try {
    thresholds = resolveDetectorThresholds(JSON.parse(config.sensors.thresholds));
  } catch (err) {
    throw new AppError('INVALID_CONFIG', `SENSOR_DETECTOR_THRESHOLDS: ${describeError(err)}`);
  }

  const pool = createPool(config, { applicationName: 'aqi-pipeline-worker', logger });
  const kafka = createKafka(config, logger);
  // Idempotent: a producer retry after a lost acknowledgement does not write the message twice.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: createActivities({
        ...createPostgresRepositories(pool),
        kafka,
        producer,
        source: {
          name: config.source.kind,
          client: createOpenMeteoClient({ baseUrl: config.source.url }),
          ...(config.source.kind === 'replay' ? { holdings: () => fetchReplayHoldings(config.source.url) } : {}),
        },
        mlflow: createMlflowClient(config.mlflow.url),
        training: {
          experiment: config.mlflow.experiment,
          apiUrl: config.api.url,
          // The deploy step reloads through the keyed POST /reload, which the open GET's interval does not delay.
          apiKey: config.api.keys.find((k) => k.permissions.includes('models'))?.key,
          gitCommit: gitCommit(config),
        },
        temporal: new Client({ connection: clientConnection, namespace: config.temporal.namespace }),
        sensorChecks: { thresholds, incidentEscalateAfter: config.sensors.incidentEscalateAfter },
        alertSender: createWebhookSender(),
        alertTargets: config.alerts.targets,
        alertMaxAttempts: config.alerts.maxAttempts,
        workflowLink: (workflowId) => workflowUrl(config, workflowId),
        monitoringRuns: { experiment: config.mlflow.monitoringExperiment, mlflowUrl: config.mlflow.url },
        retrainingPolicy: config.retraining,
        promotion: { ...config.promotion, trainingTaskQueue: config.temporal.trainingTaskQueue },
      }),
      shutdownGraceTime: '20 seconds',
    });
    logger.info(
      {
        taskQueue: config.temporal.taskQueue,
        namespace: config.temporal.namespace,
        temporal: config.temporal.address,
        source: `${config.source.kind} ${config.source.url}`,
      },
      'pipeline worker polling',
    );
    await worker.run();
    logger.info('pipeline worker stopped');
  } finally {
    await Promise.allSettled([connection.close(), clientConnection.close(), producer.disconnect(), pool.end()]);
  }
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

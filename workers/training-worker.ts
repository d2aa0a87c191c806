import { NativeConnection, Worker } from '@temporalio/worker';

import { createTrainingComputeActivities } from '../activities';
import { createLogger } from '../adapters/logger';
import { createMlflowClient } from '../adapters/mlflow/client';
import { installTemporalRuntime } from '../adapters/temporal/runtime';
import { configFromEnvironment } from '../config/runtime';

/**
 * The training worker: polls the `aqi-training` task queue for the CPU-bound steps of trainingPipeline
 * (train, evaluate), one at a time. Training blocks the event loop between heartbeats, so it lives apart
 * from the pipeline worker, whose workflows and I/O activities must stay responsive. No workflows here.
 */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('training-worker', config.logLevel);
  installTemporalRuntime({ logger, metrics: { host: config.bindHost, port: config.metrics.trainerPort } });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.trainingTaskQueue,
      activities: createTrainingComputeActivities({ mlflow: createMlflowClient(config.mlflow.url) }),
      maxConcurrentActivityTaskExecutions: 1,
      shutdownGraceTime: '10 seconds',
    });
    logger.info(
      { taskQueue: config.temporal.trainingTaskQueue, namespace: config.temporal.namespace, mlflow: config.mlflow.url },
      'training worker polling',
    );
    await worker.run();
    logger.info('training worker stopped');
  } finally {
    await connection.close();
  }
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import { Client, Connection } from '@temporalio/client';

import { createKafka } from '../adapters/kafka/client';
import { createLogger } from '../adapters/logger';
import { serveMetrics } from '../adapters/metrics/serve';
import { createPool } from '../adapters/postgres/pool';
import { configFromEnvironment } from '../config/runtime';
import { AppError, describeError } from '../core/errors';
import { resolveDetectorThresholds } from '../core/sensors/thresholds';
import { topics } from '../core/topics';

import { deliverIncident } from './detector/incidents';
import { createDetectorMetrics } from './detector/metrics';
import { createSensorDetector, detectorGroupId } from './detector/processor';

/**
 * The anomaly detector of `sensors.raw`: checks every reading, stores it with its flags, publishes
 * `sensors.processed`, `sensors.anomalies` and `sensors.dlq`, and opens (or closes) a `sensorIncident` per
 * sustained fault. Temporal is reached lazily: while it is away, incidents wait in the outbox.
 * Prometheus metrics at DETECTOR_METRICS_PORT (`workers/detector/metrics.ts`).
 * SIGINT/SIGTERM stop fetching, let the chunk in flight finish, publish what is pending, and exit 0.
 */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('sensor-detector', config.logLevel);
  let thresholds;
  try {
    thresholds = resolveDetectorThresholds(JSON.parse(config.sensors.thresholds));
  } catch (err) {
    throw new AppError('INVALID_CONFIG', `SENSOR_DETECTOR_THRESHOLDS: ${describeError(err)}`);
  }
  const pool = createPool(config, { applicationName: 'aqi-sensor-detector', max: 4, logger });
  const metrics = createDetectorMetrics();
  const metricsServer = serveMetrics(metrics.registry, {
    host: config.bindHost,
    port: config.metrics.detectorPort,
    logger,
  });
  let temporal: Promise<Client> | undefined;
  const temporalClient = () =>
    (temporal ??= Connection.connect({ address: config.temporal.address })
      .then((connection) => new Client({ connection, namespace: config.temporal.namespace }))
      .catch((err: unknown) => {
        temporal = undefined;
        throw err;
      }));

  let closing: Promise<void> | undefined;
  const close = (exitCode: number, why: Record<string, unknown>): Promise<void> =>
    (closing ??= (async () => {
      logger.info(why, 'sensor detector shutting down');
      await detector.stop().catch((err: unknown) => logger.error({ err: describeError(err) }, 'stop failed'));
      await pool.end();
      await metricsServer.close();
      process.exit(exitCode);
    })());

  const detector = createSensorDetector({
    kafka: createKafka(config, logger),
    pool,
    logger,
    topics: {
      raw: topics.sensorsRaw,
      processed: topics.sensorsProcessed,
      anomalies: topics.sensorsAnomalies,
      deadLetter: topics.sensorsDeadLetter,
    },
    thresholds,
    incidentEscalateAfter: config.sensors.incidentEscalateAfter,
    deliverIncident: async (target, payload) => deliverIncident(await temporalClient(), config, target, payload),
    groupId: detectorGroupId,
    onFatalError: (error) => void close(1, { reason: 'consumer crashed', err: describeError(error) }),
    observer: metrics.observer,
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void close(0, { signal }));
  await detector.start();
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

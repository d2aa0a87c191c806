import { migrate } from '../adapters/postgres/migrations';
import { createPool } from '../adapters/postgres/pool';
import type { Config } from '../config';

import { stackLayout, type StackLayout } from './layout';
import { airflowService } from './services/airflow';
import { alertInboxService } from './services/alert-inbox';
import { kafkaService } from './services/kafka';
import { mlflowService } from './services/mlflow';
import { postgresService } from './services/postgres';
import { replayService } from './services/replay';
import type { Progress, StackService } from './services/service';
import { temporalService } from './services/temporal';
import { probeQuietly } from './wait';

export interface Stack {
  layout: StackLayout;
  services: {
    postgres: StackService;
    temporal: StackService;
    kafka: StackService;
    mlflow: StackService;
    replay: StackService;
    alertInbox: StackService;
    airflow: StackService;
  };
  /** `withAirflow`: also Airflow 3 standalone over dags/ (optional: heavy, and only needed to schedule from Airflow). */
  up(options?: { withAirflow?: boolean }): Promise<void>;
  down(): Promise<void>;
  status(): Promise<Record<string, Record<string, string | boolean>>>;
}

/**
 * The embedded stack: installs (cached) and starts PostgreSQL, Temporal, Kafka, MLflow and, when the readings
 * come from it (AQI_SOURCE=replay), the Open-Meteo replay server, and the alert inbox (a local webhook);
 * applies the database migrations, and stops them again; Airflow too when asked. Starting twice is harmless: running services are kept.
 */
export function createStack(config: Config, progress: Progress): Stack {
  const layout = stackLayout(config);
  const services = {
    postgres: postgresService(config, layout, progress),
    temporal: temporalService(config, layout, progress),
    kafka: kafkaService(config, layout, progress),
    mlflow: mlflowService(config, layout, progress),
    replay: replayService(config, layout),
    alertInbox: alertInboxService(config, layout),
    airflow: airflowService(config, layout, progress),
  };
  // What this configuration runs; `down` stops the replay server regardless, in case AQI_SOURCE changed meanwhile.
  const wanted = Object.values(services).filter(
    (s) => s !== services.airflow && (s !== services.replay || config.source.kind === 'replay'),
  );

  const timed = async (name: string, step: () => Promise<void>) => {
    const started = Date.now();
    await step();
    progress(`${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };

  return {
    layout,
    services,
    up: async (options = {}) => {
      const installs = options.withAirflow ? [...wanted, services.airflow] : wanted;
      await Promise.all(installs.map((s) => s.install()));
      // PostgreSQL first: MLflow keeps its store there. Temporal and Kafka do not wait for anybody.
      await Promise.all([
        (async () => {
          await timed('postgres', async () => {
            await services.postgres.start();
            const pool = createPool(config, { max: 1, applicationName: 'aqi-migrate' });
            try {
              const applied = await migrate(pool);
              if (applied.length > 0) progress(`applied migrations ${applied.join(', ')}`);
            } finally {
              await pool.end();
            }
          });
          await timed('mlflow', () => services.mlflow.start());
        })(),
        timed('temporal', () => services.temporal.start()),
        timed('kafka', () => services.kafka.start()),
        ...(wanted.includes(services.replay) ? [timed('replay', () => services.replay.start())] : []),
        timed('alert inbox', () => services.alertInbox.start()),
      ]);
      // After the rest: its tasks talk to Temporal, and its start-up is CPU-heavy.
      if (options.withAirflow) await timed('airflow', () => services.airflow.start());
    },
    down: async () => {
      await services.airflow.stop();
      await services.mlflow.stop();
      await Promise.all([
        services.kafka.stop(),
        services.temporal.stop(),
        services.replay.stop(),
        services.alertInbox.stop(),
      ]);
      await services.postgres.stop();
    },
    status: async () => {
      // Airflow is listed once it runs (it is optional).
      const listed = (await probeQuietly(() => services.airflow.isReady())).ready
        ? [...wanted, services.airflow]
        : wanted;
      const entries = await Promise.all(
        listed.map(async (s) => {
          const { ready } = await probeQuietly(() => s.isReady());
          return [s.name, { ...s.addresses(), up: ready }] as const;
        }),
      );
      return Object.fromEntries(entries);
    },
  };
}

import type { AddressInfo } from 'node:net';

import { Connection } from '@temporalio/client';

import { createLogger } from '../adapters/logger';
import { createPool } from '../adapters/postgres/pool';
import { configFromEnvironment } from '../config/runtime';

import { createApp } from './app';

/** The API process: serves the app, and on SIGTERM/SIGINT stops accepting, drains, then closes its pools. */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('api', config.logLevel);
  const pool = createPool(config, { applicationName: 'aqi-api' });
  const temporal = await Connection.connect({ address: config.temporal.address });

  const app = createApp({
    logger,
    readiness: {
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

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'api shutting down');
    server.close(() => {
      void Promise.allSettled([pool.end(), temporal.close()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

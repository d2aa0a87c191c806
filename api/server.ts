import type { AddressInfo } from 'node:net';

import { Connection } from '@temporalio/client';

import { closeOnSignals } from '../adapters/http/graceful-shutdown';
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

  closeOnSignals(server, logger, { name: 'api', release: () => Promise.allSettled([pool.end(), temporal.close()]) });
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { closeOnSignals } from '../adapters/http/graceful-shutdown';
import { createLogger } from '../adapters/logger';
import { createReplayServer } from '../adapters/open-meteo/replay-server';
import { configFromEnvironment, repoRoot } from '../config/runtime';

/**
 * The Open-Meteo replay server process (`npm run replay`; the embedded stack starts it when AQI_SOURCE=replay):
 * serves the CSV exports of REPLAY_DATA_DIR on REPLAY_PORT with its clock at REPLAY_NOW. SIGTERM/SIGINT stop
 * accepting, let requests in flight finish, then exit.
 */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('replay-server', config.logLevel);
  const { port, dataDir, now } = config.source.replay;
  const app = createReplayServer({ dataDir: path.resolve(repoRoot, dataDir), now, logger });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.bindHost, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  logger.info({ url: `http://${config.bindHost}:${bound}`, dataDir, now }, 'replay server listening');

  closeOnSignals(server, logger, { name: 'replay server' });
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

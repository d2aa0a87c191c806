import { createServer } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { createAlertInbox } from '../adapters/alerts/inbox-server';
import { closeOnSignals } from '../adapters/http/graceful-shutdown';
import { createLogger } from '../adapters/logger';
import { configFromEnvironment } from '../config/runtime';

/**
 * The alert inbox process (the embedded stack starts it): the local webhook that `npm start` sends alerts to
 * when ALERT_WEBHOOKS is empty, on ALERT_INBOX_PORT, keeping what it receives in `--file` (JSON lines).
 */
async function run(): Promise<void> {
  const config = configFromEnvironment();
  const logger = createLogger('alert-inbox', config.logLevel);
  const { values } = parseArgs({ options: { file: { type: 'string', default: 'alert-inbox.jsonl' } } });
  const file = path.resolve(values.file);
  const server = createServer(createAlertInbox({ file, logger }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.alerts.inbox.port, config.bindHost, resolve);
  });
  logger.info({ url: config.alerts.inbox.url, file }, 'alert inbox listening');
  closeOnSignals(server, logger, { name: 'alert inbox' });
}

run().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

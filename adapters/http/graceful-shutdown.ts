import type { Server } from 'node:http';

import type { Logger } from '../logger';

/**
 * On SIGTERM or SIGINT: stop accepting connections, let requests in flight finish, close what the process
 * holds (pools, clients), then exit 0; exit 1 if that takes more than `graceMs`.
 */
export function closeOnSignals(
  server: Server,
  logger: Logger,
  options: { name: string; release?: () => Promise<unknown>; graceMs?: number },
): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, `${options.name} shutting down`);
    server.close(() => {
      void Promise.allSettled([options.release?.()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), options.graceMs ?? 10_000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

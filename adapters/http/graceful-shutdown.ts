import type { Server } from 'node:http';

import type { Logger } from '../logger';

/**
 * On SIGTERM or SIGINT: stop accepting connections, let requests in flight finish, close what the process
 * holds (pools, clients), then exit 0; exit 1 if that takes more than `graceMs`.
 */
export function closeOnSignals(
  server: Server,
  logger: Logger,
  options: {
    name: string;
    /** Ends what never finishes by itself (open event streams), before the drain waits for requests. */
    interrupt?: () => Promise<unknown>;
    release?: () => Promise<unknown>;
    graceMs?: number;
  },
): void {
  let closing = false;
  const shutdown = (signal: string) => {
    // A second signal (the process group's and a cluster primary's SIGTERM, or Ctrl-C twice) must not cut
    // the drain short: Node would exit at once on a signal nobody listens to any more.
    if (closing) return;
    closing = true;
    logger.info({ signal }, `${options.name} shutting down`);
    server.close(() => {
      void Promise.allSettled([options.release?.()]).then(() => {
        logger.info({ signal }, `${options.name} stopped`);
        process.exit(0);
      });
    });
    void options.interrupt?.();
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), options.graceMs ?? 10_000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

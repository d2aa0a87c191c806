import { createServer, type Server } from 'node:http';

import type { Registry } from 'prom-client';

import { describeError } from '../../core/errors';
import type { Logger } from '../logger';

export interface MetricsServer {
  /** The port it listens on (when it could bind one). */
  port(): number | undefined;
  close(): Promise<void>;
}

/**
 * Serves a process's Prometheus registry at `GET /metrics` (the API serves its own on its HTTP port).
 * Port 0 picks a free one. A port already taken (a second instance of the process on one machine) costs
 * the metrics of that instance, logged, never the process itself.
 */
export function serveMetrics(
  registry: Registry,
  options: { host: string; port: number; logger: Logger },
): MetricsServer {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    registry
      .metrics()
      .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
      .catch((err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${describeError(err)}\n`));
  });
  let bound: number | undefined;
  server.on('error', (err) =>
    options.logger.warn(
      { err: describeError(err), port: options.port },
      'metrics not served: the port is taken (another instance of this process?)',
    ),
  );
  server.listen(options.port, options.host, () => {
    const address = server.address();
    bound = typeof address === 'object' && address !== null ? address.port : undefined;
    options.logger.info({ url: `http://${options.host}:${String(bound)}/metrics` }, 'metrics served');
  });
  server.unref();
  return {
    port: () => bound,
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

import { Counter, Registry } from 'prom-client';

import { createLogger } from '../logger';

import { serveMetrics } from './serve';

const logger = createLogger('test', 'error');

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('serveMetrics', () => {
  it('when scraped, then GET /metrics gives the registry and anything else is a 404', async () => {
    const registry = new Registry();
    new Counter({ name: 'served_total', help: 'c', registers: [registry] }).inc(2);
    const server = serveMetrics(registry, { host: '127.0.0.1', port: 0, logger });
    await until(() => server.port() !== undefined);
    const base = `http://127.0.0.1:${String(server.port())}`;

    const metrics = await fetch(`${base}/metrics`);
    const other = await fetch(`${base}/other`);

    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('served_total 2');
    expect(other.status).toBe(404);
    await server.close();
  });

  it('when the port is taken, then the second server serves nothing and nothing throws', async () => {
    const registry = new Registry();
    const first = serveMetrics(registry, { host: '127.0.0.1', port: 0, logger });
    await until(() => first.port() !== undefined);
    const second = serveMetrics(registry, { host: '127.0.0.1', port: first.port() as number, logger });
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(second.port()).toBeUndefined();
    await second.close();
    await first.close();
  });
});

import type pg from 'pg';

import type { LiveFeed, LiveListener } from '../../adapters/kafka/live-feed';
import { loadConfig } from '../../config';
import { serveApp } from '../../test/support/serve-app';

/** Validation happens before PostgreSQL is touched: a request that reaches this pool answers 500. */
const unreachable = { query: () => Promise.reject(new Error('PostgreSQL must not be reached')) } as unknown as pg.Pool;

function fakeFeed() {
  const listeners = new Set<LiveListener>();
  const feed: LiveFeed = {
    subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    live: () => true,
    start: () => undefined,
    stop: () => Promise.resolve(),
  };
  return { feed, emit: (event: Parameters<LiveListener>[0]) => listeners.forEach((l) => l(event)), listeners };
}

describe('the dashboard and its routes', () => {
  it('when / is asked, then it redirects to the page, whose assets are all the API’s own (no other host)', async () => {
    const api = await serveApp({ dashboard: true });
    try {
      const root = await fetch(`${api.url}/`, { redirect: 'manual' });
      const page = await (await fetch(`${api.url}/dashboard/`)).text();
      const script = await fetch(`${api.url}/dashboard/dashboard.js`);
      const code = await script.text();

      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/dashboard/');
      expect([...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])).toEqual([
        'data:,',
        '/dashboard/dashboard.css',
        '/dashboard/dashboard.js',
      ]);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      expect(code.length).toBeGreaterThan(1000);
      expect(code.length).toBeLessThan(500_000);
      expect(code).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    } finally {
      api.close();
    }
  });

  it('when a window is out of order or too long, then 422 names `to`; a bad pollutant or id is 400', async () => {
    const api = await serveApp({
      timeline: { pool: unreachable },
      sensors: { pool: unreachable, publish: async () => undefined },
    });
    try {
      const status = async (path: string) => (await fetch(`${api.url}${path}`)).status;
      const year = 'from=2024-01-01T00:00:00Z&to=2025-01-02T00:00:00Z';

      expect(await status('/locations/lyon/readings?from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z')).toBe(422);
      expect(await status(`/locations/lyon/readings?${year}`)).toBe(422);
      expect(await status('/locations/lyon/forecasts?from=2024-01-01T00:00:00Z&to=2024-02-02T00:00:00Z')).toBe(422);
      expect(await status('/sensors/S_1/readings?from=2024-01-01T00:00:00Z&to=2024-01-09T00:00:00Z')).toBe(422);
      expect(
        await status(
          '/locations/lyon/readings?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z&pollutants=pm2_5,soot',
        ),
      ).toBe(400);
      expect(await status('/locations/Lyon!/readings?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z')).toBe(400);
      expect(await status('/locations/lyon/readings?from=2024-01-01&to=2024-01-02')).toBe(400);
    } finally {
      api.close();
    }
  });

  it('when a Kafka event comes while a browser listens, then /events sends the status first and the event after it', async () => {
    const { feed, emit, listeners } = fakeFeed();
    const api = await serveApp({ liveFeed: feed });
    const controller = new AbortController();
    try {
      const response = await fetch(`${api.url}/events`, { signal: controller.signal });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) text += decoder.decode((await reader.read()).value);
      };
      await readUntil('event: status');
      emit({
        type: 'anomaly',
        id: 'a1',
        sensorId: 'S_1',
        anomalyType: 'spike',
        severity: 'info',
        at: '2024-01-15T14:30:00Z',
      });
      await readUntil('event: anomaly');

      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(text).toContain('event: status\ndata: {"live":true}\n\n');
      expect(text).toContain('event: anomaly\ndata: {"type":"anomaly","id":"a1","sensorId":"S_1"');
      controller.abort();
      await reader.cancel().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(listeners.size).toBe(0);
    } finally {
      api.close();
    }
  });

  it('when the links are asked, then they point at the configured Temporal Web UI, MLflow and Airflow DAGs', async () => {
    const config = loadConfig({
      TEMPORAL_UI_URL: 'http://temporal.example:8233',
      MLFLOW_TRACKING_URI: 'http://mlflow.example:5000',
    });
    const api = await serveApp({ links: config });
    try {
      const links = (await (await fetch(`${api.url}/links`)).json()) as Record<string, Record<string, unknown>>;

      expect(links.temporal).toEqual({
        ui: 'http://temporal.example:8233',
        workflows: 'http://temporal.example:8233/namespaces/aqi/workflows',
      });
      expect(links.mlflow).toEqual({ ui: 'http://mlflow.example:5000', models: 'http://mlflow.example:5000/#/models' });
      expect(links.airflow?.dags).toMatchObject({ training: `${config.airflow.url}/dags/aqi_training` });
    } finally {
      api.close();
    }
  });
});

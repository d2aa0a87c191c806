import { serveApp } from '../../test/support/serve-app';
import type { AppDeps } from '../app';

const serve = (readiness: AppDeps['readiness']) => serveApp({ readiness });

describe('health routes', () => {
  it('when a dependency fails, then /ready answers 503 naming it while /health stays 200', async () => {
    const api = await serve({
      postgres: async () => undefined,
      temporal: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:7233');
      },
    });
    try {
      const ready = await fetch(`${api.url}/ready`);
      const health = await fetch(`${api.url}/health`);

      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'not ready',
        checks: { postgres: { ok: true }, temporal: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:7233' } },
      });
      expect(health.status).toBe(200);
    } finally {
      api.close();
    }
  });

  it('when a dependency hangs, then /ready gives up after its timeout and says so', async () => {
    const api = await serve({ mlflow: () => new Promise<void>(() => undefined) });
    try {
      const ready = await fetch(`${api.url}/ready`);

      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { mlflow: { ok: false, error: 'no answer in 2000 ms' } } });
    } finally {
      api.close();
    }
  });

  it('when a route does not exist, then the answer is a JSON 404 without a stack trace', async () => {
    const api = await serve({});
    try {
      const response = await fetch(`${api.url}/nope`);
      const body = await response.text();

      expect(response.status).toBe(404);
      expect(JSON.parse(body)).toEqual({
        error: { code: 'NOT_FOUND', message: 'no route for GET /nope' },
        requestId: expect.any(String),
      });
    } finally {
      api.close();
    }
  });

  it('when the body is malformed JSON, then the answer is a 400 without a stack trace', async () => {
    const api = await serve({});
    try {
      const response = await fetch(`${api.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"data":',
      });
      const body = await response.text();

      expect(response.status).toBe(400);
      expect(body).not.toMatch(/at .*\.js:\d+/);
      expect(JSON.parse(body)).toMatchObject({ error: { code: 'INVALID_JSON' } });
    } finally {
      api.close();
    }
  });
});

import { serveApp } from '../../test/support/serve-app';

const keys = [
  { name: 'ops', key: 'ops-key-12345678', permissions: ['models' as const, 'locations' as const] },
  { name: 'ci', key: 'ci-key-87654321', permissions: ['models' as const] },
];

async function serve(limit: number) {
  const { url, close } = await serveApp({
    keys,
    limits: { mutations: { limit, windowMs: 60_000 }, reloadMinIntervalMs: 0 },
  });
  return {
    call: async (method: string, path: string, key?: string) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
    },
    close,
  };
}

describe('rate limit on mutating routes', () => {
  it('when a key sends more changes than its limit, then 429 in the error shape with Retry-After; other keys are not affected', async () => {
    const api = await serve(2);
    try {
      expect((await api.call('POST', '/reload', 'ops-key-12345678')).status).toBe(200);
      expect((await api.call('POST', '/reload', 'ops-key-12345678')).status).toBe(200);
      const limited = await api.call('POST', '/reload', 'ops-key-12345678');

      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        error: { code: 'RATE_LIMITED', message: expect.stringContaining('more than 2 changes in 60 s') },
        requestId: expect.any(String),
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Any mutating route shares the key's allowance: DELETE /locations is not mounted here (404 otherwise).
      expect((await api.call('DELETE', '/locations/lyon', 'ops-key-12345678')).status).toBe(429);
      expect((await api.call('POST', '/reload', 'ci-key-87654321')).status).toBe(200);
    } finally {
      api.close();
    }
  });

  it('when reads and predictions come in numbers, then they are not counted', async () => {
    const api = await serve(1);
    try {
      for (let i = 0; i < 3; i++) {
        expect((await api.call('GET', '/reload')).status).toBe(200);
        expect((await api.call('POST', '/predict')).status).not.toBe(429);
      }
      expect((await api.call('POST', '/reload', 'ops-key-12345678')).status).toBe(200);
    } finally {
      api.close();
    }
  });

  it('when made-up keys are sent, then they share the address allowance instead of each getting a fresh one', async () => {
    const api = await serve(2);
    try {
      expect((await api.call('POST', '/reload', 'made-up-key-1')).status).toBe(401);
      expect((await api.call('POST', '/reload', 'made-up-key-2')).status).toBe(401);
      expect((await api.call('POST', '/reload', 'made-up-key-3')).status).toBe(429);
      expect((await api.call('POST', '/reload')).status).toBe(429);
      expect((await api.call('POST', '/reload', 'ops-key-12345678')).status).toBe(200);
    } finally {
      api.close();
    }
  });
});

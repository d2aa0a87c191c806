import { loadConfig } from '../../config';
import { serveApp } from '../../test/support/serve-app';

/**
 * Auth and validation of the pipeline routes happen before Temporal is touched: here Temporal is absent
 * and any request reaching it fails loudly. Starting real runs is covered by the integration tests.
 */
const keys = [
  { name: 'ana', key: 'ana-approves-123', permissions: ['approve' as const] },
  { name: 'airflow', key: 'airflow-starts-456', permissions: ['pipelines' as const] },
];

async function serve() {
  const { url, close } = await serveApp({
    keys,
    pipelines: {
      temporal: () => Promise.reject(new Error('Temporal must not be reached in this test')),
      config: loadConfig({}),
      keys,
    },
  });
  return {
    post: async (path: string, body: unknown, key?: string) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as { error?: { code: string; message: string; fields?: { path: string }[] } },
      };
    },
    close,
  };
}

describe('pipeline control routes', () => {
  it('when no key or an unknown key is sent, then 401; when the key lacks the permission, then 403', async () => {
    const api = await serve();
    try {
      const training = { kind: 'instant' };
      expect((await api.post('/pipelines/training', training)).status).toBe(401);
      expect((await api.post('/pipelines/training', training, 'not-a-known-key')).status).toBe(401);
      const forbidden = await api.post('/pipelines/training', training, 'ana-approves-123');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error?.message).toMatch(/"ana" may not pipelines/);
      expect(
        (await api.post('/pipelines/some-run/approval', { decision: 'approve' }, 'airflow-starts-456')).status,
      ).toBe(403);
      expect((await api.post('/reload', {}, 'airflow-starts-456')).status).toBe(403);
    } finally {
      api.close();
    }
  });

  it('when a body is invalid, then 400 names each bad field', async () => {
    const api = await serve();
    try {
      const backfill = await api.post(
        '/pipelines/backfill',
        { locationIds: [], from: '2024-01-01', to: 3 },
        'airflow-starts-456',
      );
      expect(backfill.status).toBe(400);
      expect(backfill.body.error?.fields?.map((f) => f.path)).toEqual(
        expect.arrayContaining(['locationIds', 'from', 'to']),
      );
      const training = await api.post('/pipelines/training', { kind: 'hourly', epochs: 3 }, 'airflow-starts-456');
      expect(training.status).toBe(400);
      expect(training.body.error?.fields?.map((f) => f.path)).toEqual(expect.arrayContaining(['kind', '(body)']));
      const approval = await api.post(
        '/pipelines/x/approval',
        { decision: 'maybe', approver: 'me' },
        'ana-approves-123',
      );
      expect(approval.status).toBe(400);
      expect(approval.body.error?.message).toMatch(/decision/);
    } finally {
      api.close();
    }
  });
});

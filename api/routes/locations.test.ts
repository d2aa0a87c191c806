import type pg from 'pg';

import { serveApp } from '../../test/support/serve-app';

/**
 * Auth and validation of the location routes happen before PostgreSQL is touched: here the pool fails any
 * query, so a request that reaches it answers 500. Real additions and removals: test/integration/locations.
 */
const keys = [
  { name: 'ops', key: 'ops-manages-places', permissions: ['locations' as const] },
  { name: 'airflow', key: 'airflow-starts-456', permissions: ['pipelines' as const] },
];
const unreachable = { query: () => Promise.reject(new Error('PostgreSQL must not be reached')) } as unknown as pg.Pool;

async function serve() {
  const { url, close } = await serveApp({
    keys,
    locations: { pool: unreachable },
  });
  const call = async (method: string, route: string, options: { body?: string; key?: string; type?: string } = {}) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(options.type ? { 'content-type': options.type } : {}),
        ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      },
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    const body = (await response.json()) as { error?: { code: string; fields?: { path: string }[] } };
    return { status: response.status, body };
  };
  return {
    call,
    close,
  };
}

describe('location routes', () => {
  const berlin = JSON.stringify({ id: 'berlin', name: 'Berlin', latitude: 52.52, longitude: 13.405 });
  const json = 'application/json';

  it('when no key or a key without `locations` is sent, then 401 and 403, for adding and removing', async () => {
    const api = await serve();
    try {
      expect((await api.call('POST', '/locations', { body: berlin, type: json })).status).toBe(401);
      expect(
        (await api.call('POST', '/locations', { body: berlin, type: json, key: 'airflow-starts-456' })).status,
      ).toBe(403);
      expect((await api.call('DELETE', '/locations/berlin', { key: 'airflow-starts-456' })).status).toBe(403);
    } finally {
      api.close();
    }
  });

  it('when the body has bad fields, then 400 names each; not JSON is 415; a bad id or purge value is 400', async () => {
    const api = await serve();
    try {
      const key = 'ops-manages-places';
      const bad = await api.call('POST', '/locations', {
        body: JSON.stringify({ id: 'Berlin!', latitude: '52.5', longitude: 200, extra: 1 }),
        type: json,
        key,
      });
      const notJson = await api.call('POST', '/locations', { body: berlin, type: 'text/plain', key });
      const badId = await api.call('DELETE', '/locations/Not_A_Slug', { key });
      const badPurge = await api.call('DELETE', '/locations/berlin?purge=yes', { key });

      expect(bad.status).toBe(400);
      expect(bad.body.error?.fields?.map((f) => f.path).sort()).toEqual([
        '(body)',
        'id',
        'latitude',
        'longitude',
        'name',
      ]);
      expect(notJson.status).toBe(415);
      expect(badId.status).toBe(400);
      expect(badPurge.status).toBe(400);
      expect(badPurge.body.error?.fields?.map((f) => f.path)).toEqual(['purge']);
    } finally {
      api.close();
    }
  });
});

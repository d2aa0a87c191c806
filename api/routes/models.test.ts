import { serveApp } from '../../test/support/serve-app';
import type { ModelStore, ReloadOutcome } from '../models/model-store';
import { throttleReload } from '../models/reload-throttle';

const key = 'ops-key-12345678';

/** A store that counts its trips to the registry; each reload takes `ms` to answer. */
function countingStore(ms = 0) {
  let reloads = 0;
  const store: ModelStore = {
    get: () => undefined,
    list: () => [],
    reload: async (): Promise<ReloadOutcome[]> => {
      reloads += 1;
      const version = String(reloads);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return [{ name: 'aqi-eaqi-instant', result: 'loaded', version }];
    },
    startPolling() {},
    stop() {},
  };
  return { store, reloads: () => reloads };
}

async function serve(store: ModelStore, reloadMinIntervalMs: number) {
  const { url, close } = await serveApp({
    models: store,
    keys: [{ name: 'ops', key, permissions: ['models'] }],
    limits: { mutations: { limit: 100, windowMs: 60_000 }, reloadMinIntervalMs },
  });
  return {
    reload: async (method: 'GET' | 'POST') => {
      const response = await fetch(`${url}/reload`, {
        method,
        headers: method === 'POST' ? { authorization: `Bearer ${key}` } : {},
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { reloaded: ReloadOutcome[]; rerun: boolean; reloaded_at: string };
    },
    close,
  };
}

describe('GET /reload and POST /reload', () => {
  it('when the open GET /reload is hammered, then the registry is reached once per interval and the rest get its outcome', async () => {
    const fake = countingStore(50);
    const api = await serve(fake.store, 60_000);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => api.reload('GET')));
      const later = await api.reload('GET');

      expect(fake.reloads()).toBe(1);
      expect(answers.filter((a) => a.rerun)).toHaveLength(1);
      expect(later).toMatchObject({ rerun: false, reloaded: [{ name: 'aqi-eaqi-instant', version: '1' }] });
      expect(later.reloaded_at).toBe(answers[0]?.reloaded_at);
    } finally {
      api.close();
    }
  });

  it('when POST /reload is called with a key, then it always reloads, and a GET right after answers its outcome', async () => {
    const fake = countingStore();
    const api = await serve(fake.store, 60_000);
    try {
      await api.reload('GET');
      const first = await api.reload('POST');
      const second = await api.reload('POST');
      const get = await api.reload('GET');

      expect(fake.reloads()).toBe(3);
      expect([first.rerun, second.rerun]).toEqual([true, true]);
      expect(get).toMatchObject({ rerun: false, reloaded: [{ version: '3' }] });
    } finally {
      api.close();
    }
  });
});

describe('throttleReload', () => {
  it('when the interval has passed, then the next call reloads again; a failed reload is not reused', async () => {
    let now = 1_000_000;
    let calls = 0;
    let failNext = false;
    const throttled = throttleReload(
      {
        reload: () => {
          calls += 1;
          if (failNext) return Promise.reject(new Error('registry down'));
          return Promise.resolve([]);
        },
      },
      5000,
      () => now,
    );

    expect((await throttled.atMostOncePerInterval()).rerun).toBe(true);
    now += 4999;
    expect((await throttled.atMostOncePerInterval()).rerun).toBe(false);
    now += 1;
    failNext = true;
    await expect(throttled.atMostOncePerInterval()).rejects.toThrow('registry down');
    failNext = false;
    expect((await throttled.atMostOncePerInterval()).rerun).toBe(true);
    expect(calls).toBe(3);
  });

  it('when the interval is 0, then every call reloads', async () => {
    let calls = 0;
    const reload = () => {
      calls += 1;
      return Promise.resolve([]);
    };
    const throttled = throttleReload({ reload }, 0);
    await throttled.atMostOncePerInterval();
    await throttled.atMostOncePerInterval();
    expect(calls).toBe(2);
  });
});

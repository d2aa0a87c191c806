import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { deployToApi } from './deploy';

/** An API stand-in that serves version 7 of the instant model and remembers how /reload was asked. */
async function fakeApi() {
  const seen: { method?: string; authorization?: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method, authorization: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        reloaded: [{ name: 'aqi-eaqi-instant', result: 'loaded', version: '7' }],
        models: [{ name: 'aqi-eaqi-instant', version: '7' }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => server.close(),
  };
}

describe('deployToApi', () => {
  it('when the worker has a models key, then it reloads through the keyed POST /reload, which is never throttled', async () => {
    const api = await fakeApi();
    try {
      const outcome = await deployToApi(
        { url: api.url, key: 'ops-key-12345678' },
        { modelName: 'aqi-eaqi-instant', version: '7' },
      );

      expect(outcome.confirmed).toBe(true);
      expect(api.seen).toEqual([{ method: 'POST', authorization: 'Bearer ops-key-12345678' }]);
    } finally {
      api.close();
    }
  });

  it('when no key is configured, then it uses the open GET /reload, and a stale answer is retried', async () => {
    const api = await fakeApi();
    try {
      await expect(deployToApi({ url: api.url }, { modelName: 'aqi-eaqi-instant', version: '8' })).rejects.toThrow(
        'expected 8',
      );
      expect(api.seen).toEqual([{ method: 'GET' }]);
    } finally {
      api.close();
    }
  });
});

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import pino from 'pino';

import { createApp, type AppDeps } from '../../api/app';
import type { ModelStore } from '../../api/models/model-store';

/** A model store that serves nothing, for tests of routes that never reach a model. */
export const noModels: ModelStore = {
  get: () => undefined,
  list: () => [],
  reload: () => Promise.resolve([]),
  startPolling() {},
  stop() {},
};

/**
 * The real app on port 0 of 127.0.0.1, with quiet defaults (no model, no keys, no readiness checks) that a
 * test overrides with what it is about; `close` ends open connections too, so jest exits at once.
 */
export async function serveApp(deps: Partial<AppDeps> = {}): Promise<{ url: string; close: () => void }> {
  const app = createApp({
    logger: pino({ level: 'silent' }),
    readiness: {},
    models: noModels,
    serving: { predictModel: 'aqi-eaqi-instant', maxBatchRows: 10, maxBodyBytes: '1mb' },
    keys: [],
    ...deps,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

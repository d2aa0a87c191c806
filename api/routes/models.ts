import { Router, type RequestHandler } from 'express';

import { AppError } from '../../core/errors';
import type { LoadedModel, ModelStore } from '../models/model-store';
import { throttleReload, type ThrottledReload } from '../models/reload-throttle';

/** What the API tells about a served model: never the model itself. */
export function describeModel(m: LoadedModel) {
  return {
    name: m.name,
    version: m.version,
    alias: m.alias,
    algorithm: m.model.algorithm,
    kind: m.model.spec.kind,
    horizon_hours: m.model.spec.horizonHours,
    features: m.model.spec.names,
    metrics: m.metrics,
    lineage: Object.fromEntries(Object.entries(m.tags).filter(([k]) => k.startsWith('aqi.'))),
    run_id: m.runId,
    loaded_at: m.loadedAt,
  };
}

/**
 * `GET /model`: the model behind /predict. `GET /models`: every served champion.
 * `GET /reload` (the seed's endpoint, open like the seed's) and `POST /reload` (API key with `models`): look
 * up the `champion` aliases now and swap in any new version; a failed load keeps the previous model and
 * says so. The open GET reaches the registry at most once per `reloadMinIntervalMs` and otherwise answers
 * the last outcome with `rerun: false`; the keyed POST always reloads.
 */
export function modelRoutes(
  store: ModelStore,
  predictModel: string,
  canReload: RequestHandler,
  reloadMinIntervalMs = 0,
): Router {
  const router = Router();
  router.get('/model', (_req, res) => {
    const model = store.get(predictModel);
    if (!model) {
      throw new AppError('NO_MODEL', `no champion of ${predictModel} is loaded yet: train one and approve it`, {
        httpStatus: 503,
        operational: true,
      });
    }
    res.json(describeModel(model));
  });
  router.get('/models', (_req, res) => {
    res.json({ models: store.list().map(describeModel) });
  });
  const reloads = throttleReload(store, reloadMinIntervalMs);
  // `models` is what is served now, polls included: cheap, and never older than the outcome.
  const answer = (res: { json: (body: unknown) => void }, { outcomes, rerun, at }: ThrottledReload) =>
    res.json({ reloaded: outcomes, rerun, reloaded_at: at, models: store.list().map(describeModel) });
  router.get('/reload', async (_req, res) => answer(res, await reloads.atMostOncePerInterval()));
  router.post('/reload', canReload, async (_req, res) => answer(res, await reloads.now()));
  return router;
}

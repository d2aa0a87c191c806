import { Router, type RequestHandler } from 'express';

import { AppError } from '../../core/errors';
import type { LoadedModel, ModelStore } from '../models/model-store';

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
 * says so.
 */
export function modelRoutes(store: ModelStore, predictModel: string, canReload: RequestHandler): Router {
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
  const reload = async (_req: unknown, res: { json: (body: unknown) => void }) => {
    const outcomes = await store.reload();
    res.json({ reloaded: outcomes, models: store.list().map(describeModel) });
  };
  router.get('/reload', reload);
  router.post('/reload', canReload, reload);
  return router;
}

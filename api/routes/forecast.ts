import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';

import { loadHistoryAt } from '../../adapters/postgres/latest-history';
import { eaqiBand } from '../../core/air-quality/european-aqi';
import { AppError } from '../../core/errors';
import { forecastFeatures } from '../../core/ml/features';
import { modelNameFor } from '../../core/training/promotion';
import { isoHour } from '../../core/training/request';
import type { ModelStore } from '../models/model-store';

import { invalidBody } from './predict';

const query = z
  .object({
    location: z.string().regex(/^[a-z0-9-]+$/, 'a location id such as lyon'),
    hours: z.coerce.number().int().min(1).max(72),
    /** Forecast as of this hour (backtesting); by default the latest stored hour. */
    at: isoHour.optional(),
  })
  .strict();

/** Hours of stored history read for one forecast: the features look back two days (see core/ml). */
const historyHours = 72;

/**
 * `GET /forecast?location=lyon&hours=24[&at=…]`: the European AQI `hours` after the location's latest
 * stored hour (or `at`), by the champion of that horizon, with features built from the stored history by the same core/ml
 * code as training.
 */
export function forecastRoutes(deps: { store: ModelStore; pool: pg.Pool; horizons: readonly number[] }): Router {
  const router = Router();
  router.get('/forecast', async (req, res) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) throw invalidBody(parsed.error);
    const { location, hours, at } = parsed.data;
    const name = modelNameFor('forecast', hours);
    const served = deps.store.get(name);
    if (!served) {
      const available = deps.horizons.filter((h) => deps.store.get(modelNameFor('forecast', h)));
      throw new AppError(
        'NO_MODEL',
        `no champion forecasts ${hours} h ahead; served horizons: ${available.length > 0 ? available.join(', ') : 'none yet'}`,
        { httpStatus: deps.horizons.includes(hours) ? 503 : 404, operational: true },
      );
    }
    const history = await loadHistoryAt(deps.pool, location, historyHours, at);
    if (!history) {
      throw new AppError('NO_HISTORY', `no stored readings for location "${location}"`, {
        httpStatus: 404,
        operational: true,
      });
    }
    const x = forecastFeatures({ locationId: location, readings: history.readings }, history.at, served.model.spec);
    if (!x) {
      throw new AppError(
        'NO_HISTORY',
        `the stored history of "${location}" before ${history.at} has gaps the features need`,
        {
          httpStatus: 422,
          operational: true,
        },
      );
    }
    const european_aqi = Math.max(0, served.model.predict([x])[0] ?? Number.NaN);
    res.json({
      location,
      at: history.at,
      target: new Date(Date.parse(history.at) + hours * 3600_000).toISOString().replace('.000Z', 'Z'),
      european_aqi,
      band: eaqiBand(european_aqi),
      model: { name: served.name, version: served.version, alias: served.alias },
    });
  });
  return router;
}

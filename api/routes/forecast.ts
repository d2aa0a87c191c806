import { Router } from 'express';
import { z } from 'zod';

import type { ForecastHistory } from '../../adapters/postgres/latest-history';
import { eaqiBand } from '../../core/air-quality/european-aqi';
import { formatObservedAt } from '../../core/air-quality/reading';
import { AppError } from '../../core/errors';
import { forecastFeatures, type FeatureSpec } from '../../core/ml/features';
import { forecastHistoryNeed } from '../../core/ml/forecast-features';
import { latestForecastOrigin, type ForecastOrigin } from '../../core/ml/forecast-origin';
import { servedPredictions } from '../../core/ml/served-index';
import { modelNameFor } from '../../core/training/promotion';
import { isoHour } from '../../core/training/request';
import type { LoadedModel, ModelStore } from '../models/model-store';
import type { PredictionRecorder } from '../predictions/prediction-recorder';

import { invalidBody } from './predict';

/**
 * The query of GET /forecast (its OpenAPI parameters are generated from it, as read: `hours` is the
 * integer the text holds). `hours` takes ASCII digits only: a bare `Number()` would also read `0x10`,
 * `1e1` or ` 5`, which no integer parameter promises.
 */
export const forecastQuery = z
  .object({
    location: z.string().regex(/^[a-z0-9-]+$/, 'a location id such as lyon'),
    hours: z
      .string()
      .regex(/^[0-9]+$/, 'whole hours, such as 24')
      .transform(Number)
      .pipe(z.number().int().min(1).max(72)),
    at: isoHour
      .optional()
      .describe(
        'Forecast as of this hour (backtesting); by default the latest stored hour that has the history needed',
      ),
  })
  .strict();

/** The answer of GET /forecast (also its OpenAPI schema). */
export const forecastAnswer = z
  .object({
    location: z.string(),
    at: z.string().describe('The hour the forecast is made from: the newest hour its features read'),
    target: z.string().describe('The hour forecast: `at` + `hours`'),
    european_aqi: z.number(),
    band: z.string().describe('The EAQI band: good, fair, moderate, poor, very poor or extremely poor'),
    model: z.object({ name: z.string(), version: z.string(), alias: z.string() }),
    latest_stored_hour: z
      .string()
      .optional()
      .describe('Without `at`: the newest stored hour of the location, whether or not the forecast could start there'),
    note: z
      .string()
      .optional()
      .describe('Without `at`, when the newest stored hour lacks the history the features need: why `at` is earlier'),
  })
  .strict();
type ForecastAnswer = z.infer<typeof forecastAnswer>;

/** Hours tried before the newest complete history window when an hour in it lacks another value the features read. */
const searchBackHours = 24;

/**
 * `GET /forecast?location=lyon&hours=24[&at=…]`: the European AQI `hours` after the latest stored hour that
 * has the history the features need (or after `at`), by the champion of that horizon, with features built
 * from the stored history by the same core/ml code as training. Each answer goes to the prediction log (live
 * accuracy) when a recorder is given.
 */
export function forecastRoutes(deps: {
  store: ModelStore;
  history: ForecastHistory;
  predictions?: Pick<PredictionRecorder, 'record'>;
}): Router {
  const router = Router();
  router.get('/forecast', async (req, res) => {
    const parsed = forecastQuery.safeParse(req.query);
    if (!parsed.success) throw invalidBody(parsed.error);
    const { location, hours, at } = parsed.data;
    const served = championFor(deps.store, hours);
    const spec = served.model.spec;
    const origin: ForecastOrigin & { latestStored?: string } =
      at === undefined
        ? await latestOrigin(deps.history, location, spec)
        : await originAt(deps.history, location, at, spec);
    const european_aqi = servedPredictions(served.model, [origin.x])[0] ?? Number.NaN;
    const answer: ForecastAnswer = {
      location,
      at: origin.at,
      target: formatObservedAt(Date.parse(origin.at) + hours * 3600_000),
      european_aqi,
      band: eaqiBand(european_aqi),
      model: { name: served.name, version: served.version, alias: served.alias },
      ...(origin.latestStored === undefined ? {} : { latest_stored_hour: origin.latestStored }),
      ...(origin.latestStored === undefined || origin.latestStored === origin.at
        ? {}
        : {
            note: `the latest stored hour, ${origin.latestStored}, lacks the ${forecastHistoryNeed.hours} h of history the features need; the forecast is made from ${origin.at}, the latest hour that has it`,
          }),
    };
    deps.predictions?.record({
      modelName: served.name,
      modelVersion: served.version,
      horizonHours: spec.horizonHours,
      locationId: location,
      originHour: answer.at,
      targetHour: answer.target,
      predicted: european_aqi,
    });
    res.json(answer);
  });
  return router;
}

/** The champion forecasting `hours` ahead; 404 naming the served horizons when there is none. */
export function championFor(store: ModelStore, hours: number): LoadedModel {
  const served = store.get(modelNameFor('forecast', hours));
  if (served) return served;
  const horizons = store
    .list()
    .filter((m) => m.model.spec.kind === 'forecast')
    .map((m) => m.model.spec.horizonHours)
    .sort((a, b) => a - b);
  throw new AppError(
    'NO_MODEL',
    `no champion forecasts ${hours} h ahead; served horizons: ${horizons.length > 0 ? horizons.join(', ') : 'none yet'} (a new champion is served within the API's registry poll)`,
    { httpStatus: 404, operational: true },
  );
}

/** The forecast as of `at` exactly as asked (backtesting): a gap in its history is the caller's to know. */
async function originAt(
  history: ForecastHistory,
  location: string,
  at: string,
  spec: FeatureSpec,
): Promise<ForecastOrigin> {
  const stored = await history.historyAt(location, forecastHistoryNeed.hours + searchBackHours, at);
  if (!stored) throw noReadings(location);
  const x = forecastFeatures({ locationId: location, readings: stored.readings }, stored.at, spec);
  if (!x) {
    throw new AppError(
      'NO_HISTORY',
      `the stored history of "${location}" before ${stored.at} has gaps the features need`,
      {
        httpStatus: 422,
        operational: true,
      },
    );
  }
  return { at: stored.at, x };
}

/** Without `at`: the latest hour that has the history the features need, and the latest stored hour beside it. */
async function latestOrigin(
  history: ForecastHistory,
  location: string,
  spec: FeatureSpec,
): Promise<ForecastOrigin & { latestStored: string }> {
  const [latestStored, complete] = await Promise.all([
    history.latestStoredHour(location),
    history.latestHourWithHistory(location, forecastHistoryNeed),
  ]);
  if (latestStored === undefined) throw noReadings(location);
  const need = `${forecastHistoryNeed.hours} h of ${forecastHistoryNeed.variables.join(' and ')} history`;
  if (complete === undefined) {
    throw new AppError(
      'NO_HISTORY',
      `no stored hour of "${location}" has the ${need} the features need (latest stored hour ${latestStored})`,
      { httpStatus: 422, operational: true },
    );
  }
  const window = await history.historyAt(location, forecastHistoryNeed.hours + searchBackHours, complete);
  const origin = window && latestForecastOrigin({ locationId: location, readings: window.readings }, spec);
  if (!origin) {
    throw new AppError(
      'NO_HISTORY',
      `the hours of "${location}" up to ${complete}, the latest with the ${need}, lack other values the features need (latest stored hour ${latestStored})`,
      { httpStatus: 422, operational: true },
    );
  }
  return { ...origin, latestStored };
}

function noReadings(location: string): AppError {
  return new AppError('NO_HISTORY', `no stored readings for location "${location}"`, {
    httpStatus: 404,
    operational: true,
  });
}

import { z } from 'zod';

import { forecastAnswer, forecastQuery } from '../routes/forecast';
import { predictBodyContract } from '../routes/predict';

import { error, invalid, unauthenticated, forbidden } from './errors';
import { answer, json, parameters, secured } from './schema';

/** The European AQI band of an index, as predictions and sensors' readings carry it. */
export const band = z.enum(['good', 'fair', 'moderate', 'poor', 'very poor', 'extremely poor']);
/** The champion that made an answer. */
export const servedBy = z.looseObject({ name: z.string(), version: z.string(), alias: z.string() });
const prediction = z.looseObject({ european_aqi: z.number().min(0), band });
const describedModel = z.looseObject({
  name: z.string(),
  version: z.string(),
  alias: z.string(),
  algorithm: z.string(),
  kind: z.enum(['instant', 'forecast']),
  horizon_hours: z.number(),
  features: z.array(z.string()),
  metrics: z.record(z.string(), z.number()),
  lineage: z.record(z.string(), z.string()),
  run_id: z.string(),
  loaded_at: z.string(),
});
const reloaded = z.looseObject({
  reloaded: z.array(
    z.looseObject({ name: z.string(), result: z.enum(['loaded', 'unchanged', 'absent', 'retired', 'failed']) }),
  ),
  rerun: z.boolean(),
  reloaded_at: z.string(),
  models: z.array(describedModel),
});
const readiness = z.looseObject({
  status: z.enum(['ready', 'not ready']),
  checks: z.record(z.string(), z.looseObject({ ok: z.boolean(), error: z.string().optional() })),
});

/** Serving: predictions by the champions, the models behind them, their reload, and the process's probes. */
export const servingPaths = (maxBatchRows: number) => ({
  '/predict': {
    post: {
      summary: 'European AQI of one row or a batch, by the champion instant model',
      requestBody: { required: true, ...json(predictBodyContract(maxBatchRows)) },
      responses: {
        '200': answer(
          '{european_aqi, band, model} for one row, {predictions, model} for a batch',
          z.union([
            prediction.extend({ model: servedBy }),
            z.looseObject({ predictions: z.array(prediction), model: servedBy }),
          ]),
        ),
        '400': invalid,
        '503': error('no champion instant model is loaded yet: `NO_MODEL`'),
      },
    },
  },
  '/forecast': {
    get: {
      summary: 'European AQI `hours` ahead for a location, from its stored history, by the champion of that horizon',
      parameters: parameters(forecastQuery, 'query'),
      responses: {
        '200': answer('the forecast, and the hour it is made from', forecastAnswer),
        '400': invalid,
        '404': error('no stored readings of the location (`NO_HISTORY`), or no champion of that horizon (`NO_MODEL`)'),
        '422': error('the stored history lacks hours or values the features need: `NO_HISTORY`'),
      },
    },
  },
  '/model': {
    get: {
      summary: 'The model behind /predict',
      responses: {
        '200': answer('name, version, metrics, lineage, loaded_at', describedModel),
        '503': error('no champion instant model is loaded yet: `NO_MODEL`'),
      },
    },
  },
  '/models': {
    get: {
      summary: 'Every served champion: the instant model and each forecast horizon found in the registry',
      responses: { '200': answer('{models: […]}', z.looseObject({ models: z.array(describedModel) })) },
    },
  },
  '/reload': {
    get: {
      summary:
        'Reload the champions (seed-compatible); at most once per RELOAD_MIN_INTERVAL, else the last outcome with rerun: false',
      responses: { '200': answer('{reloaded, models, rerun, reloaded_at}', reloaded) },
    },
    post: {
      summary: 'Reload the champions now',
      security: secured,
      responses: {
        '200': answer('{reloaded, models, rerun, reloaded_at}', reloaded),
        '401': unauthenticated,
        '403': forbidden,
      },
    },
  },
  '/health': {
    get: {
      summary: 'Liveness',
      responses: { '200': answer('{status: ok}', z.object({ status: z.literal('ok') })) },
    },
  },
  '/ready': {
    get: {
      summary: 'Readiness: champion loaded, dependencies reachable',
      responses: {
        '200': answer('ready', readiness),
        '503': answer('not ready, with the failing checks', readiness),
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics',
      responses: {
        '200': { description: 'text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    },
  },
});

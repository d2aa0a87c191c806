import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';

import { loadLocationTimeline, timelineMethod } from '../../adapters/postgres/location-timeline';
import { findLocations } from '../../adapters/postgres/locations';
import { loadReadingHistory } from '../../adapters/postgres/readings-history';
import { locationId } from '../../core/air-quality/messages';
import { measuredVariables, type MeasuredVariable } from '../../core/air-quality/reading';
import { withWindowRules, windowShape } from '../../core/dashboard/window';
import { AppError } from '../../core/errors';
import { forecastsAgainstActuals } from '../../core/ml/forecast-backtest';
import { readingsSpan } from '../../core/monitoring/champion/rows';
import type { ModelStore } from '../models/model-store';

import { championFor } from './forecast';
import { invalidBody } from './predict';

const pollutantList = new RegExp(`^(${measuredVariables.join('|')})(,(${measuredVariables.join('|')}))*$`);

/** The query of GET /locations/{id}/readings: a window of at most a year (366 days) and pollutants on demand. */
export const timelineQuery = withWindowRules(
  z.strictObject({
    ...windowShape,
    pollutants: z
      .string()
      .regex(pollutantList, `comma-separated measured variables: ${measuredVariables.join(', ')}`)
      .optional()
      .describe('Concentrations to add beside the index, e.g. pm2_5,pm10 (none by default)'),
  }),
  366,
);
/** The query of GET /locations/{id}/forecasts: at most 31 days of hourly forecasts, made on request. */
export const forecastSeriesQuery = withWindowRules(
  z.strictObject({
    ...windowShape,
    hours: z
      .string()
      .regex(/^[0-9]{1,2}$/, 'whole hours, such as 24')
      .transform(Number)
      .pipe(z.number().int().min(1).max(72))
      .optional()
      .describe('The horizon of the champion to ask (default 24)'),
  }),
  31,
);

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

/**
 * What the dashboard draws for a place: its stored hours with the platform's European AQI (and the
 * pollutants asked for), and the champion's forecast for each hour of a window beside what was then
 * reported. An unknown location is 404.
 */
export function locationTimelineRoutes(deps: { pool: pg.Pool; store: ModelStore }): Router {
  const router = Router();
  const known = async (id: string) => {
    if ((await findLocations(deps.pool, [id])).length === 0) {
      throw new AppError('UNKNOWN_LOCATION', `no location "${id}"`, { httpStatus: 404, operational: true });
    }
    return id;
  };
  router.get('/locations/:id/readings', async (req, res) => {
    const { from, to, pollutants } = parse(timelineQuery, req.query);
    const id = await known(parse(locationId, req.params.id));
    // The pattern admits only measured variables' names.
    const asked = pollutants === undefined ? [] : [...new Set(pollutants.split(',') as MeasuredVariable[])];
    const timeline = await loadLocationTimeline(deps.pool, id, { from, to }, asked);
    res.json({ location: id, from, to, method: timelineMethod, ...timeline });
  });
  router.get('/locations/:id/forecasts', async (req, res) => {
    const { from, to, hours = 24 } = parse(forecastSeriesQuery, req.query);
    const id = await known(parse(locationId, req.params.id));
    const served = championFor(deps.store, hours);
    const span = readingsSpan(served.model.spec, { from, to });
    const readings = await loadReadingHistory(deps.pool, id, span.from, { hours: 0, until: span.to });
    const points = forecastsAgainstActuals({ locationId: id, readings }, served.model, { from, to });
    res.json({
      location: id,
      from,
      to,
      model: { name: served.name, version: served.version, alias: served.alias },
      forecasts: points,
    });
  });
  return router;
}

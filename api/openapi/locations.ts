import { z } from 'zod';

import { locationId } from '../../core/air-quality/messages';
import { forecastSeriesQuery, timelineQuery } from '../routes/location-timeline';
import { addLocationBody, removeLocationQuery } from '../routes/locations';
import { qualityReportsQuery } from '../routes/quality';

import { error, forbidden, invalid, unauthenticated, windowRules } from './errors';
import { answer, json, parameters, secured } from './schema';
import { servedBy } from './serving';

const place = z.looseObject({ id: z.string(), name: z.string(), latitude: z.number(), longitude: z.number() });
const nullableNumbers = z.array(z.number().nullable());
const timelineAnswer = z.looseObject({
  location: z.string(),
  from: z.string(),
  to: z.string(),
  method: z.string().describe('The method of `european_aqi`'),
  hours: z.array(z.number().int()).describe('Each stored hour in Unix seconds, oldest first'),
  european_aqi: nullableNumbers,
  reported_european_aqi: nullableNumbers,
  pollutants: z.record(z.string(), nullableNumbers).describe('The asked concentrations (µg/m³), by hour'),
});
const forecastSeriesAnswer = z.looseObject({
  location: z.string(),
  from: z.string(),
  to: z.string(),
  model: servedBy,
  forecasts: z.array(
    z.looseObject({ at: z.string(), target: z.string(), predicted: z.number(), actual: z.number().nullable() }),
  ),
});
const qualityVerdict = z.looseObject({
  id: z.number().int(),
  workflowId: z.string(),
  from: z.string(),
  to: z.string(),
  locationIds: z.array(z.string()),
  verdict: z.enum(['pass', 'warn', 'fail']),
  checks: z.array(z.looseObject({ name: z.string(), status: z.enum(['pass', 'warn', 'fail']), detail: z.string() })),
  createdAt: z.string(),
  url: z.string(),
});

/** The registered places, their stored hours and forecasts, and the data-quality verdicts over them. */
export const locationPaths = () => ({
  '/locations': {
    get: {
      summary: 'The registered places, with how many hours are stored for each and their range',
      responses: {
        '200': answer(
          'every registered place',
          z.looseObject({
            locations: z.array(
              place.extend({
                readings: z.number().int().min(0),
                firstHour: z.string().nullable(),
                lastHour: z.string().nullable(),
              }),
            ),
          }),
        ),
      },
    },
    post: {
      summary: 'Register a place (409 when the id exists, or a place within 1 km does unless force)',
      security: secured,
      requestBody: { required: true, ...json(addLocationBody) },
      responses: {
        '201': {
          ...answer('the place as registered (its name trimmed)', z.looseObject({ location: place })),
          headers: { Location: { description: 'its path, /locations/{id}', schema: { type: 'string' } } },
          links: {
            remove: {
              operationId: 'removeLocation',
              parameters: { id: '$response.body#/location/id' },
            },
          },
        },
        '400': invalid,
        '401': unauthenticated,
        '403': forbidden,
        '409': error('the id exists (`LOCATION_EXISTS`), or a place within 1 km does (`LOCATION_TOO_CLOSE`)'),
      },
    },
  },
  '/locations/{id}/readings': {
    get: {
      summary:
        "A location's stored hours over [from, to) (at most 366 days) as columns: the platform's European AQI, the reported one, and the pollutants asked for",
      parameters: [...parameters(z.object({ id: locationId }), 'path'), ...parameters(timelineQuery, 'query')],
      responses: {
        '200': answer(
          '{location, from, to, method, hours, european_aqi, reported_european_aqi, pollutants}',
          timelineAnswer,
        ),
        '400': invalid,
        '404': error('no location with this id: `UNKNOWN_LOCATION`'),
        '422': error(windowRules(366)),
      },
    },
  },
  '/locations/{id}/forecasts': {
    get: {
      summary:
        'The champion forecast made at each hour of [from, to) (at most 31 days) that has the history its features need, beside the index then reported at its target hour',
      parameters: [...parameters(z.object({ id: locationId }), 'path'), ...parameters(forecastSeriesQuery, 'query')],
      responses: {
        '200': answer(
          '{location, from, to, model, forecasts: [{at, target, predicted, actual}]}',
          forecastSeriesAnswer,
        ),
        '400': invalid,
        '404': error('no location with this id (`UNKNOWN_LOCATION`), or no champion of that horizon (`NO_MODEL`)'),
        '422': error(windowRules(31)),
      },
    },
  },
  '/quality/reports': {
    get: {
      summary: 'Data-quality verdicts (checkDataQuality), newest window first, with each check and the run link',
      parameters: parameters(qualityReportsQuery, 'query'),
      responses: {
        '200': answer('{reports}', z.looseObject({ reports: z.array(qualityVerdict) })),
        '400': invalid,
      },
    },
  },
  '/locations/{id}': {
    delete: {
      operationId: 'removeLocation',
      summary: 'Unregister a place (409 with the count when it has readings, unless purge=true: audited)',
      security: secured,
      parameters: [...parameters(z.object({ id: locationId }), 'path'), ...parameters(removeLocationQuery, 'query')],
      responses: {
        '200': answer(
          'the place removed, and how many readings went with it',
          z.looseObject({ removed: place, readingsDeleted: z.number().int().min(0) }),
        ),
        '400': invalid,
        '401': unauthenticated,
        '403': forbidden,
        '404': error('no such place: `LOCATION_NOT_FOUND`'),
        '409': error('the place has stored readings and purge is not true: `LOCATION_HAS_READINGS`'),
      },
    },
  },
});

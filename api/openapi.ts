import type { RequestHandler } from 'express';
import { z } from 'zod';

import { instantInput } from '../core/ml/features';
import { trainingRequest } from '../core/training/request';

import { forecastAnswer } from './routes/forecast';
import { addLocationBody } from './routes/locations';
import { approvalBody, backfillBody, qualityBody } from './routes/pipelines';

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas that validate requests (3.1
 * speaks JSON Schema 2020-12, which is what zod emits), so the contract cannot drift from the code.
 */
const schema = (s: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  return rest;
};
const json = (s: z.ZodType) => ({ content: { 'application/json': { schema: schema(s) } } });
const error = { description: 'error: `{error: {code, message, fields?}, requestId}`' };
const secured = [{ apiKey: [] }];

const rateLimited = {
  description: 'too many changes from this caller (API_MUTATION_RATE_LIMIT): `RATE_LIMITED`, with Retry-After',
};

/**
 * Answers every operation can give beside its own: 413 (too large) and 415 (not JSON) where a JSON body is
 * read; 429 on the changing methods the rate limit covers (all but POST /predict, which reads only).
 */
function withCommonAnswers<T extends Record<string, Record<string, { requestBody?: unknown; responses: object }>>>(
  paths: T,
): T {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.requestBody !== undefined) {
        operation.responses = { '413': error, '415': error, ...operation.responses };
      }
      if (method !== 'get' && path !== '/predict') operation.responses = { ...operation.responses, '429': rateLimited };
    }
  }
  return paths;
}

export function openApiDocument(maxBatchRows: number) {
  const predictBody = z.object({ data: z.union([instantInput, z.array(instantInput).min(1).max(maxBatchRows)]) });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Air-quality platform API',
      version: '1.0.0',
      description:
        'European AQI predictions from the approved champion model, and control of the Temporal pipelines. Data: Open-Meteo.com (CAMS), CC BY 4.0.',
    },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    paths: withCommonAnswers({
      '/predict': {
        post: {
          summary: 'European AQI of one row or a batch, by the champion instant model',
          requestBody: { required: true, ...json(predictBody) },
          responses: {
            '200': { description: '{european_aqi, band, model} or {predictions, model}' },
            '400': error,
            '413': error,
            '415': error,
            '503': error,
          },
        },
      },
      '/forecast': {
        get: {
          summary:
            'European AQI `hours` ahead for a location, from its stored history, by the champion of that horizon',
          parameters: [
            { name: 'location', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'hours', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 72 } },
            {
              name: 'at',
              in: 'query',
              required: false,
              schema: {
                type: 'string',
                description: 'ISO UTC hour; by default the latest stored hour that has the history the features need',
              },
            },
          ],
          responses: {
            '200': { description: 'the forecast, and the hour it is made from', ...json(forecastAnswer) },
            '400': error,
            '404': error,
            '422': error,
          },
        },
      },
      '/locations': {
        get: {
          summary: 'The registered places, with how many hours are stored for each and their range',
          responses: {
            '200': { description: '{locations: [{id, name, latitude, longitude, readings, firstHour, lastHour}]}' },
          },
        },
        post: {
          summary: 'Register a place (409 when the id exists, or a place within 1 km does unless force)',
          security: secured,
          requestBody: { required: true, ...json(addLocationBody) },
          responses: {
            '201': { description: '{location}' },
            '400': error,
            '401': error,
            '403': error,
            '409': error,
            '415': error,
          },
        },
      },
      '/locations/{id}': {
        delete: {
          summary: 'Unregister a place (409 with the count when it has readings, unless purge=true: audited)',
          security: secured,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' } },
            { name: 'purge', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
          ],
          responses: {
            '200': { description: '{removed, readingsDeleted}' },
            '400': error,
            '401': error,
            '403': error,
            '404': error,
            '409': error,
          },
        },
      },
      '/model': {
        get: {
          summary: 'The model behind /predict',
          responses: { '200': { description: 'name, version, metrics, lineage, loaded_at' }, '503': error },
        },
      },
      '/models': {
        get: {
          summary: 'Every served champion: the instant model and each forecast horizon found in the registry',
          responses: { '200': { description: '{models: […]}' } },
        },
      },
      '/reload': {
        get: {
          summary:
            'Reload the champions (seed-compatible); at most once per RELOAD_MIN_INTERVAL, else the last outcome with rerun: false',
          responses: { '200': { description: '{reloaded, models, rerun, reloaded_at}' } },
        },
        post: {
          summary: 'Reload the champions now',
          security: secured,
          responses: { '200': { description: '{reloaded, models, rerun, reloaded_at}' }, '401': error, '403': error },
        },
      },
      '/pipelines/backfill': {
        post: {
          summary: 'Start (or join) ingestHistory',
          security: secured,
          requestBody: { required: true, ...json(backfillBody) },
          responses: { '202': { description: '{workflowId, started, url}' }, '400': error, '401': error, '403': error },
        },
      },
      '/pipelines/quality': {
        post: {
          summary: 'Start (or join) checkDataQuality over [from, to)',
          security: secured,
          requestBody: { required: true, ...json(qualityBody) },
          responses: { '202': { description: '{workflowId, started, url}' }, '400': error, '401': error, '403': error },
        },
      },
      '/pipelines/training': {
        post: {
          summary: 'Start (or join) trainingPipeline',
          security: secured,
          requestBody: { required: true, ...json(trainingRequest) },
          responses: { '202': { description: '{workflowId, started, url}' }, '400': error, '401': error, '403': error },
        },
      },
      '/pipelines/{id}': {
        get: {
          summary: 'Status of a run (and promotionStatus of a training run)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'PipelineDescription' }, '404': error },
        },
      },
      '/pipelines/{id}/approval': {
        post: {
          summary: 'Decide on a challenger (the approvePromotion update) as the key’s name',
          security: secured,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, ...json(approvalBody) },
          responses: {
            '202': { description: 'the decision was taken: {workflowId, approver, decision, stage}' },
            '400': error,
            '401': error,
            '403': error,
            '404': error,
            '409': {
              description:
                'refused by the workflow (not awaiting approval, already decided): the reason in error.message',
            },
          },
        },
      },
      '/health': { get: { summary: 'Liveness', responses: { '200': { description: '{status: ok}' } } } },
      '/ready': {
        get: {
          summary: 'Readiness: champion loaded, dependencies reachable',
          responses: { '200': { description: 'ready' }, '503': { description: 'not ready, with the failing checks' } },
        },
      },
      '/metrics': {
        get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' } } },
      },
    }),
  };
}

/** `/openapi.json` and a plain `/docs` page listing every operation (no external assets: works offline). */
export function openApiRoutes(document: ReturnType<typeof openApiDocument>): {
  document: RequestHandler;
  page: RequestHandler;
} {
  const rows = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations as Record<string, { summary: string; security?: unknown }>).map(
      ([method, op]) =>
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${path}</code></td><td>${op.summary}</td><td>${op.security ? 'API key' : ''}</td></tr>`,
    ),
  );
  const html = `<!doctype html><meta charset="utf-8"><title>${document.info.title}</title>
<style>body{font-family:sans-serif;margin:2rem}td{padding:.3rem .8rem;border-bottom:1px solid #ddd}</style>
<h1>${document.info.title}</h1><p>${document.info.description}</p>
<p>The full contract: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1, generated from the validation schemas).</p>
<table><tr><th>method</th><th>path</th><th>what</th><th>auth</th></tr>${rows.join('')}</table>`;
  return { document: (_req, res) => void res.json(document), page: (_req, res) => void res.type('html').send(html) };
}

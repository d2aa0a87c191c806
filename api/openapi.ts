import type { RequestHandler } from 'express';

import { withCommonAnswers } from './openapi/common-answers';
import { dashboardPaths } from './openapi/dashboard';
import { incidentPaths } from './openapi/incidents';
import { locationPaths } from './openapi/locations';
import { monitoringPaths } from './openapi/monitoring';
import { pipelinePaths } from './openapi/pipelines';
import { sensorPaths } from './openapi/sensors';
import { servingPaths } from './openapi/serving';

export { errorAnswer } from './openapi/errors';

type DocumentedPath =
  | keyof ReturnType<typeof servingPaths>
  | keyof ReturnType<typeof locationPaths>
  | keyof ReturnType<typeof dashboardPaths>
  | keyof ReturnType<typeof pipelinePaths>
  | keyof ReturnType<typeof sensorPaths>
  | keyof ReturnType<typeof incidentPaths>
  | keyof ReturnType<typeof monitoringPaths>;

/**
 * The order of the paths in the document, and so on /docs: the order the routes were added in, kept when
 * the paths moved to one file per area. Typed, so that a path an area documents but this list lacks, or
 * one listed that no area documents, does not compile.
 */
const documentOrder = {
  '/predict': true,
  '/forecast': true,
  '/locations': true,
  '/locations/{id}/readings': true,
  '/locations/{id}/forecasts': true,
  '/quality/reports': true,
  '/models/lineup': true,
  '/models/promotions': true,
  '/approvals': true,
  '/events': true,
  '/links': true,
  '/locations/{id}': true,
  '/model': true,
  '/models': true,
  '/reload': true,
  '/pipelines/backfill': true,
  '/pipelines/quality': true,
  '/pipelines/training': true,
  '/pipelines/{id}': true,
  '/pipelines/{id}/approval': true,
  '/sensors/readings': true,
  '/sensors': true,
  '/sensors/{id}': true,
  '/sensors/readings/latest': true,
  '/sensors/{id}/readings': true,
  '/monitoring/reports': true,
  '/monitoring/accuracy': true,
  '/monitoring/reports/{id}': true,
  '/incidents': true,
  '/incidents/{id}': true,
  '/incidents/{id}/acknowledge': true,
  '/incidents/{id}/resolve': true,
  '/health': true,
  '/ready': true,
  '/metrics': true,
} satisfies Record<DocumentedPath, true>;

function inDocumentOrder<T extends Record<DocumentedPath, unknown>>(paths: T): T {
  return Object.fromEntries(Object.keys(documentOrder).map((path) => [path, paths[path as DocumentedPath]])) as T;
}

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas that validate requests (3.1
 * speaks JSON Schema 2020-12, which is what zod emits), so the contract cannot drift from the code. What a
 * schema accepts is exactly what validation accepts: a request the document allows is never answered 400,
 * one it refuses always is. Rules JSON Schema cannot state (a window's end after its start) answer 422 and
 * are said in words. Schemathesis holds the running API to this document in `npm test`
 * (test/integration/api-contract-fuzz.test.ts). The paths are written by area in `api/openapi/`.
 */
export function openApiDocument(maxBatchRows: number) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Air-quality platform API',
      version: '1.0.0',
      description:
        'European AQI predictions from the approved champion model, and control of the Temporal pipelines. Data: Open-Meteo.com (CAMS), CC BY 4.0.',
    },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    paths: withCommonAnswers(
      inDocumentOrder({
        ...servingPaths(maxBatchRows),
        ...locationPaths(),
        ...dashboardPaths(),
        ...pipelinePaths(),
        ...sensorPaths(),
        ...incidentPaths(),
        ...monitoringPaths(),
      }),
    ),
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

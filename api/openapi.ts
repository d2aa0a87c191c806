import type { RequestHandler } from 'express';
import { z } from 'zod';

import { locationId } from '../core/air-quality/messages';
import { sensorId } from '../core/sensors/reading';
import { sensorStatuses } from '../core/sensors/registry';
import { trainingRequest } from '../core/training/request';

import { forecastAnswer, forecastQuery } from './routes/forecast';
import { incidentActionBody, incidentId, incidentListQuery } from './routes/incidents';
import { forecastSeriesQuery, timelineQuery } from './routes/location-timeline';
import { addLocationBody, removeLocationQuery } from './routes/locations';
import {
  liveAccuracyAnswer,
  monitoringAccuracyQuery,
  monitoringReportIdText,
  monitoringReportsQuery,
} from './routes/monitoring';
import { approvalBody, backfillBody, qualityBody } from './routes/pipelines';
import { predictBodyContract } from './routes/predict';
import { promotionsQuery } from './routes/promotions';
import { qualityReportsQuery } from './routes/quality';
import { sensorListQuery, sensorReadingsBody, sensorReadingsQuery } from './routes/sensors';

/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas that validate requests (3.1
 * speaks JSON Schema 2020-12, which is what zod emits), so the contract cannot drift from the code. What a
 * schema accepts is exactly what validation accepts: a request the document allows is never answered 400,
 * one it refuses always is. Rules JSON Schema cannot state (a window's end after its start) answer 422 and
 * are said in words. Schemathesis holds the running API to this document in `npm test`
 * (test/integration/api-contract-fuzz.test.ts).
 */
type Io = 'input' | 'output';
const schema = (s: z.ZodType, io: Io = 'input') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' });
  return rest;
};
const json = (s: z.ZodType, io: Io = 'input') => ({ content: { 'application/json': { schema: schema(s, io) } } });
const answer = (description: string, s: z.ZodType) => ({ description, ...json(s, 'output') });

/** The parameters of one location (query or path), from the object schema that validates them. */
function parameters(s: z.ZodObject, where: 'query' | 'path') {
  const { properties = {}, required = [] } = z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' }) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || required.includes(name),
    ...(description ? { description } : {}),
    schema: property,
  }));
}

/** The body of every error answer (api/middleware/errors.ts); `error` may carry facts of its own (`near`, `readings`). */
export const errorAnswer = z.strictObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  }),
  requestId: z.string().optional(),
});
const error = (description: string) => answer(description, errorAnswer);
const secured = [{ apiKey: [] }];
const registeredSensor = z.looseObject({
  id: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  nearestLocationId: z.string().nullable(),
  status: z.enum(sensorStatuses),
  firstSeen: z.string(),
  lastSeen: z.string(),
});
const fit = {
  measurement: z.string(),
  referenceLocationId: z.string(),
  bias: z.number(),
  slope: z.number(),
  intercept: z.number(),
  r2: z.number(),
  n: z.number().int(),
};
const storedCalibration = z.looseObject({
  ...fit,
  windowDays: z.number().int(),
  asOf: z.string(),
  verdict: z
    .looseObject({ withinTargets: z.boolean(), outside: z.array(z.enum(['slope', 'intercept', 'r2'])) })
    .nullable(),
});
const baseline = z.looseObject({ ...fit, establishedOn: z.string(), windowDays: z.number().int() });
const storedIncident = z.looseObject({
  id: z.string(),
  sensorId: z.string(),
  anomalyType: z.string(),
  state: z.enum(['open', 'acknowledged', 'closed']),
  escalationLevel: z.number().int().min(0),
  url: z.string(),
});
const storedMonitoringReport = z.looseObject({
  id: z.number().int(),
  workflowId: z.string(),
  modelName: z.string(),
  modelVersion: z.string(),
  status: z.enum(['reported', 'no_reference']),
  reason: z.string().optional().describe('Why there is no drift report (no_reference)'),
  currentFrom: z.string(),
  currentTo: z.string(),
  datasetDrift: z.boolean().optional(),
  predictionDrift: z.boolean().optional(),
  targetDrift: z.boolean().optional(),
  summary: z.string().optional(),
  runUrl: z.string().optional().describe('The MLflow run of the report'),
  htmlUrl: z.string().optional().describe('The self-contained HTML report, served by MLflow'),
  accuracy: z.array(z.looseObject({})).optional().describe("The version's live accuracy over the window"),
  createdAt: z.string(),
});

const band = z.enum(['good', 'fair', 'moderate', 'poor', 'very poor', 'extremely poor']);
const servedBy = z.looseObject({ name: z.string(), version: z.string(), alias: z.string() });
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
const place = z.looseObject({ id: z.string(), name: z.string(), latitude: z.number(), longitude: z.number() });
const startedRun = z.looseObject({
  workflowId: z.string(),
  started: z.boolean(),
  completedRun: z.string().optional().describe('set when the work had already completed: the run that did it'),
  url: z.string(),
});
/** The 202 of a pipeline start, linked to the status of the run it names (for clients and stateful tests). */
const started = {
  ...answer(
    'the run started or joined, or the run that had already done the work: {workflowId, started, completedRun?, url}',
    startedRun,
  ),
  links: { status: { operationId: 'pipelineStatus', parameters: { id: '$response.body#/workflowId' } } },
};
const readiness = z.looseObject({
  status: z.enum(['ready', 'not ready']),
  checks: z.record(z.string(), z.looseObject({ ok: z.boolean(), error: z.string().optional() })),
});

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
const latestSensorReading = z.looseObject({
  sensorId: z.string(),
  at: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  measurements: z.record(z.string(), z.number()),
  qcFlags: z.array(z.string()),
  europeanAqi: z.looseObject({ value: z.number(), band }).nullable(),
});
const sensorSeries = z.looseObject({
  sensorId: z.string(),
  from: z.string(),
  to: z.string(),
  times: z.array(z.number().int()),
  pm2_5: z.array(z.number()),
  pm10: z.array(z.number()),
  no2: z.array(z.number()),
  qc_flags: z.array(z.array(z.string())),
});
const versionInLineup = z.looseObject({
  version: z.string(),
  aliases: z.array(z.string()),
  holdout: z.record(z.string(), z.number()),
  versionUrl: z.string(),
});
const modelLineup = z.looseObject({
  name: z.string(),
  kind: z.enum(['instant', 'forecast']),
  horizonHours: z.number().int(),
  champion: versionInLineup.optional(),
  challenger: versionInLineup.optional(),
});
const storedPromotion = z.looseObject({
  id: z.number().int(),
  modelName: z.string(),
  decision: z.enum(['approved', 'rejected', 'expired', 'rejected_by_evaluation', 'rolled_back']),
  workflowId: z.string(),
  decidedAt: z.string(),
  url: z.string(),
});
const pendingApproval = z.looseObject({
  workflowId: z.string(),
  url: z.string(),
  startedAt: z.string(),
  status: z.looseObject({ stage: z.string(), modelName: z.string() }).optional(),
});
const uiLinks = z.looseObject({
  temporal: z.looseObject({ ui: z.string(), workflows: z.string() }),
  mlflow: z.looseObject({ ui: z.string(), models: z.string() }),
  airflow: z.looseObject({ ui: z.string(), dags: z.record(z.string(), z.string()) }),
});
const windowRules = (days: number) =>
  `\`INCONSISTENT_FIELDS\`: \`to\` is not after \`from\`, or the window spans more than ${days} days (rules between fields JSON Schema cannot state)`;

/** A pipeline run is named by its Temporal workflow id; the path segment is any text (percent-encoded). */
const runIdParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } };

/** The 422 of the pipeline starts: the body matches the schema, but its hours are out of order. */
const inconsistent = (rule: string) =>
  error(
    `\`INCONSISTENT_FIELDS\`: the body matches the schema but ${rule} (a rule between fields JSON Schema cannot state)`,
  );

const rateLimited = error(
  'too many changes from this caller (API_MUTATION_RATE_LIMIT): `RATE_LIMITED`, with Retry-After',
);

/**
 * Answers beside each operation's own: 413 (too large) and 415 (not JSON) where a JSON body is read; 400
 * where a path parameter is read (one that is not valid percent-encoded UTF-8); 429 on the changing methods
 * the rate limit covers (all but POST /predict, which reads only).
 */
function withCommonAnswers<
  T extends Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string }[]; responses: object }>>,
>(paths: T): T {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.requestBody !== undefined) {
        operation.responses = {
          '413': error('the body is larger than API_MAX_BODY: `BODY_TOO_LARGE`'),
          '415': error('the body is not `application/json` (UTF-8)'),
          ...operation.responses,
        };
      }
      if (operation.parameters?.some((p) => p.in === 'path') && !('400' in operation.responses)) {
        operation.responses = { '400': error('a path segment that does not decode'), ...operation.responses };
      }
      if (method !== 'get' && path !== '/predict') operation.responses = { ...operation.responses, '429': rateLimited };
    }
  }
  return paths;
}

export function openApiDocument(maxBatchRows: number) {
  const invalid = error(
    'the request does not match this document: `INVALID_BODY` (or `INVALID_JSON`), with the fields',
  );
  const unauthenticated = error('no known API key in `Authorization: Bearer <key>`: `UNAUTHENTICATED`');
  const forbidden = error('the key lacks the permission the operation needs: `FORBIDDEN`');
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
          summary:
            'European AQI `hours` ahead for a location, from its stored history, by the champion of that horizon',
          parameters: parameters(forecastQuery, 'query'),
          responses: {
            '200': answer('the forecast, and the hour it is made from', forecastAnswer),
            '400': invalid,
            '404': error(
              'no stored readings of the location (`NO_HISTORY`), or no champion of that horizon (`NO_MODEL`)',
            ),
            '422': error('the stored history lacks hours or values the features need: `NO_HISTORY`'),
          },
        },
      },
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
          parameters: [
            ...parameters(z.object({ id: locationId }), 'path'),
            ...parameters(forecastSeriesQuery, 'query'),
          ],
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
      '/models/lineup': {
        get: {
          summary:
            "The champion and challenger of each of the platform's registered models, with their runs' holdout figures and MLflow links",
          responses: { '200': answer('{models}', z.looseObject({ models: z.array(modelLineup) })) },
        },
      },
      '/models/promotions': {
        get: {
          summary: 'The promotion audit: approvals, rejections, expiries, gate rejections and rollbacks, newest first',
          parameters: parameters(promotionsQuery, 'query'),
          responses: {
            '200': answer('{promotions}', z.looseObject({ promotions: z.array(storedPromotion) })),
            '400': invalid,
          },
        },
      },
      '/approvals': {
        get: {
          summary:
            'The training runs awaiting a decision (decide with POST /pipelines/{id}/approval), with their promotion status',
          responses: { '200': answer('{approvals}', z.looseObject({ approvals: z.array(pendingApproval) })) },
        },
      },
      '/events': {
        get: {
          summary:
            'Server-sent events from Kafka as they arrive: `reading` (a stored hour, from aqi.transformed), `anomaly` (from sensors.anomalies), `status` ({live}); the stream stays open',
          responses: {
            '200': {
              description:
                'text/event-stream: `event: reading` data {type, location, at, european_aqi, band, storedAt}; `event: anomaly` data {type, id, sensorId, anomalyType, measurement?, severity, at}; `event: status` data {live}, sent first and at each change',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/links': {
        get: {
          summary: 'The Temporal Web UI, MLflow and Airflow (with its DAGs) this platform runs with',
          responses: { '200': answer('{temporal, mlflow, airflow}', uiLinks) },
        },
      },
      '/locations/{id}': {
        delete: {
          operationId: 'removeLocation',
          summary: 'Unregister a place (409 with the count when it has readings, unless purge=true: audited)',
          security: secured,
          parameters: [
            ...parameters(z.object({ id: locationId }), 'path'),
            ...parameters(removeLocationQuery, 'query'),
          ],
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
      '/pipelines/backfill': {
        post: {
          summary: 'Start (or join) ingestHistory',
          security: secured,
          requestBody: { required: true, ...json(backfillBody) },
          responses: {
            '202': started,
            '400': invalid,
            '401': unauthenticated,
            '403': forbidden,
            '422': inconsistent('`to` is before `from`'),
          },
        },
      },
      '/pipelines/quality': {
        post: {
          summary: 'Start (or join) checkDataQuality over [from, to)',
          security: secured,
          requestBody: { required: true, ...json(qualityBody) },
          responses: {
            '202': started,
            '400': invalid,
            '401': unauthenticated,
            '403': forbidden,
            '422': inconsistent('`to` is not after `from`'),
          },
        },
      },
      '/pipelines/training': {
        post: {
          summary: 'Start (or join) trainingPipeline',
          security: secured,
          requestBody: { required: true, ...json(trainingRequest) },
          responses: {
            '202': started,
            '400': invalid,
            '401': unauthenticated,
            '403': forbidden,
            '422': inconsistent('the windows are not in order (trainFrom < validationFrom < testFrom < testTo)'),
          },
        },
      },
      '/pipelines/{id}': {
        get: {
          operationId: 'pipelineStatus',
          summary: 'Status of a run (and promotionStatus of a training run)',
          parameters: [runIdParameter],
          responses: {
            '200': answer(
              'PipelineDescription',
              z.looseObject({
                workflowId: z.string(),
                type: z.string(),
                status: z.string(),
                url: z.string(),
                promotionStatus: z.looseObject({ stage: z.string(), modelName: z.string() }).optional(),
              }),
            ),
            '404': error('no run with this workflow id: `PIPELINE_NOT_FOUND`'),
          },
        },
      },
      '/pipelines/{id}/approval': {
        post: {
          summary: 'Decide on a challenger (the approvePromotion update) as the key’s name',
          security: secured,
          parameters: [runIdParameter],
          requestBody: { required: true, ...json(approvalBody) },
          responses: {
            '202': answer(
              'the decision was taken: {workflowId, approver, decision, stage}',
              z.looseObject({
                workflowId: z.string(),
                approver: z.string(),
                decision: z.enum(['approve', 'reject']),
                stage: z.string(),
              }),
            ),
            '400': invalid,
            '401': unauthenticated,
            '403': forbidden,
            '404': error('no training run with this workflow id: `PIPELINE_NOT_FOUND`'),
            '409': error(
              'refused by the workflow (not awaiting approval, already decided): `APPROVAL_REFUSED`, the reason in error.message',
            ),
            '503': error(
              'no worker answered within TEMPORAL_UPDATE_WAIT_SECONDS: `NO_WORKER_ANSWER` (not confirmed; check the run before repeating)',
            ),
          },
        },
      },
      '/sensors/readings': {
        post: {
          summary: 'Send IoT sensor readings (one, or {readings: [...]}) to sensors.raw, as any producer does',
          security: secured,
          requestBody: { required: true, ...json(sensorReadingsBody) },
          responses: {
            '202': answer('the broker has them: {accepted}', z.looseObject({ accepted: z.number().int().min(1) })),
            '400': invalid,
            '401': unauthenticated,
            '403': forbidden,
            '503': error('the broker did not take them (Kafka away): `BROKER_UNAVAILABLE`; send again'),
          },
        },
      },
      '/sensors': {
        get: {
          summary: 'The registered sensors: position, reference location, first and last reading, status',
          parameters: parameters(sensorListQuery, 'query'),
          responses: {
            '200': answer('every sensor (of that status)', z.looseObject({ sensors: z.array(registeredSensor) })),
            '400': invalid,
          },
        },
      },
      '/sensors/{id}': {
        get: {
          summary:
            'One sensor, its anomalies (newest first) and its calibration: the latest 7- and 30-day fits against its reference with their verdict against EPA targets, and its baselines',
          parameters: parameters(z.object({ id: sensorId }), 'path'),
          responses: {
            '200': answer(
              '{sensor, anomalies, calibration}',
              z.looseObject({
                sensor: registeredSensor,
                anomalies: z.array(z.looseObject({ id: z.string(), type: z.string() })),
                calibration: z.looseObject({ latest: z.array(storedCalibration), baselines: z.array(baseline) }),
              }),
            ),
            '400': invalid,
            '404': error('no sensor with this id has been seen: `UNKNOWN_SENSOR`'),
          },
        },
      },
      '/sensors/readings/latest': {
        get: {
          summary:
            "Each active sensor's newest reading with its QC flags and its European AQI (EEA 2024 bands, the raw values), for the map",
          responses: {
            '200': answer(
              '{method, readings}',
              z.looseObject({ method: z.string(), readings: z.array(latestSensorReading) }),
            ),
          },
        },
      },
      '/sensors/{id}/readings': {
        get: {
          summary: "One sensor's stored readings over [from, to) (at most 7 days) as columns, with each one's QC flags",
          parameters: [...parameters(z.object({ id: sensorId }), 'path'), ...parameters(sensorReadingsQuery, 'query')],
          responses: {
            '200': answer('{sensorId, from, to, times, pm2_5, pm10, no2, qc_flags}', sensorSeries),
            '400': invalid,
            '404': error('no sensor with this id has been seen: `UNKNOWN_SENSOR`'),
            '422': error(windowRules(7)),
          },
        },
      },
      '/monitoring/reports': {
        get: {
          summary: 'Champion drift reports (monitorChampion), newest first, with their verdicts and links',
          parameters: parameters(monitoringReportsQuery, 'query'),
          responses: {
            '200': answer('{reports}', z.looseObject({ reports: z.array(storedMonitoringReport) })),
            '400': invalid,
          },
        },
      },
      '/monitoring/accuracy': {
        get: {
          summary:
            'Live accuracy: rolling MAE of the predictions logged for real hours (GET /forecast, the hourly scoring), per model version and horizon, beside its holdout MAE',
          parameters: parameters(monitoringAccuracyQuery, 'query'),
          responses: {
            '200': answer('{accuracy}', z.looseObject({ accuracy: z.array(liveAccuracyAnswer) })),
            '400': invalid,
          },
        },
      },
      '/monitoring/reports/{id}': {
        get: {
          summary: 'One drift report with its full JSON (every column: method, score, threshold, decision)',
          parameters: parameters(z.object({ id: monitoringReportIdText }), 'path'),
          responses: {
            '200': answer(
              '{report}',
              z.looseObject({ report: storedMonitoringReport.extend({ report: z.unknown().optional() }) }),
            ),
            '400': invalid,
            '404': error('no report with this id: `UNKNOWN_MONITORING_REPORT`'),
          },
        },
      },
      '/incidents': {
        get: {
          summary: 'Sensor incidents (open by default), newest first, with their Web UI links',
          parameters: parameters(incidentListQuery, 'query'),
          responses: {
            '200': answer('{incidents}', z.looseObject({ incidents: z.array(storedIncident) })),
            '400': invalid,
          },
        },
      },
      '/incidents/{id}': {
        get: {
          summary: 'One incident with every step (opened, notified, escalated, acknowledged, resolved, closed)',
          parameters: parameters(z.object({ id: incidentId }), 'path'),
          responses: {
            '200': answer(
              '{incident}',
              z.looseObject({
                incident: storedIncident.extend({
                  steps: z.array(z.looseObject({ seq: z.number(), event: z.string() })),
                }),
              }),
            ),
            '400': invalid,
            '404': error('no incident with this id: `UNKNOWN_INCIDENT`'),
          },
        },
      },
      ...Object.fromEntries(
        (['acknowledge', 'resolve'] as const).map((kind) => [
          `/incidents/{id}/${kind}`,
          {
            post: {
              summary: `${kind === 'acknowledge' ? 'Acknowledge' : 'Resolve'} an incident as the key’s name (the ${kind}Incident update)`,
              security: secured,
              parameters: parameters(z.object({ id: incidentId }), 'path'),
              requestBody: { required: true, ...json(incidentActionBody) },
              responses: {
                '200': answer(
                  'taken: the incident as it stands after',
                  z.looseObject({ id: z.string(), state: z.string() }),
                ),
                '400': invalid,
                '401': unauthenticated,
                '403': forbidden,
                '404': error('no incident with this id: `UNKNOWN_INCIDENT`'),
                '409': error(
                  'refused by the workflow (already acknowledged, closed): `INCIDENT_ACTION_REFUSED`, the reason in error.message',
                ),
                '503': error(
                  'no worker answered within TEMPORAL_UPDATE_WAIT_SECONDS: `NO_WORKER_ANSWER` (not confirmed; check the incident before repeating)',
                ),
              },
            },
          },
        ]),
      ),
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

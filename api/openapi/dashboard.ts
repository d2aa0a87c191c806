import { z } from 'zod';

import { promotionsQuery } from '../routes/promotions';

import { invalid } from './errors';
import { runTriggers } from './pipelines';
import { answer, parameters } from './schema';

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
  triggers: runTriggers,
});
const uiLinks = z.looseObject({
  temporal: z.looseObject({ ui: z.string(), workflows: z.string() }),
  mlflow: z.looseObject({ ui: z.string(), models: z.string() }),
  airflow: z.looseObject({ ui: z.string(), dags: z.record(z.string(), z.string()) }),
});

/** What the dashboard reads beside the other areas: the model lineup, promotions, approvals, live events, links. */
export const dashboardPaths = () => ({
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
});

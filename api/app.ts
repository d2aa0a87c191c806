import express, { type Express } from 'express';

import type { LiveFeed } from '../adapters/kafka/live-feed';
import type { Logger } from '../adapters/logger';
import type { ApiKey, Config } from '../config';

import type { ClusterLink } from './cluster/ipc';
import { createApiMetrics } from './metrics';
import { requirePermission } from './middleware/api-key';
import { errorHandler, notFound } from './middleware/errors';
import { declaresBody, methodNotAllowed } from './middleware/method-not-allowed';
import { mutationRateLimit } from './middleware/rate-limit';
import { requestContext } from './middleware/request-context';
import type { ModelStore } from './models/model-store';
import { openApiDocument, openApiRoutes } from './openapi';
import { dashboardRoutes } from './routes/dashboard';
import { eventRoutes } from './routes/events';
import { forecastRoutes } from './routes/forecast';
import { healthRoutes, type ReadinessCheck } from './routes/health';
import { incidentRoutes } from './routes/incidents';
import { linkRoutes } from './routes/links';
import { locationTimelineRoutes } from './routes/location-timeline';
import { locationRoutes } from './routes/locations';
import { modelRoutes } from './routes/models';
import { monitoringRoutes } from './routes/monitoring';
import { pipelineRoutes } from './routes/pipelines';
import { predictRoutes } from './routes/predict';
import { promotionRoutes } from './routes/promotions';
import { qualityRoutes } from './routes/quality';
import { sensorRoutes } from './routes/sensors';

export interface AppDeps {
  logger: Logger;
  readiness: Record<string, ReadinessCheck>;
  models: ModelStore;
  serving: { predictModel: string; maxBatchRows: number; maxBodyBytes: string };
  /** Pipeline control; left out, the /pipelines routes are not mounted (e.g. a prediction-only instance). */
  pipelines?: Parameters<typeof pipelineRoutes>[0];
  keys: readonly ApiKey[];
  /** Set in a process of an API cluster (API_WORKERS > 1): /metrics then sums every process. */
  cluster?: ClusterLink;
  /** The registered places (GET/POST /locations, DELETE /locations/:id); left out, not mounted. */
  locations?: Omit<Parameters<typeof locationRoutes>[0], 'keys'>;
  /** The IoT sensors (POST /sensors/readings to Kafka, GET /sensors…); left out, not mounted. */
  sensors?: Omit<Parameters<typeof sensorRoutes>[0], 'keys'>;
  /** Sensor incidents (GET /incidents…, acknowledge and resolve through Temporal); left out, not mounted. */
  incidents?: Omit<Parameters<typeof incidentRoutes>[0], 'keys'>;
  /** Champion drift reports (GET /monitoring/reports…) and their gauges on /metrics; left out, not mounted. */
  monitoring?: Parameters<typeof monitoringRoutes>[0];
  /** Forecasts from stored history; left out, /forecast is not mounted. */
  forecast?: Parameters<typeof forecastRoutes>[0];
  /** A location's stored hours and forecasts beside actuals (GET /locations/{id}/readings, …/forecasts). */
  timeline?: Omit<Parameters<typeof locationTimelineRoutes>[0], 'store'>;
  /** The stored data-quality verdicts (GET /quality/reports). */
  quality?: Parameters<typeof qualityRoutes>[0];
  /** Champions and challengers, the promotion audit, the pending approvals (GET /models/lineup, …). */
  promotions?: Parameters<typeof promotionRoutes>[0];
  /** Server-sent events from Kafka (GET /events); left out, not mounted. */
  liveFeed?: LiveFeed;
  /** The configuration the UIs' links come from (GET /links); left out, not mounted. */
  links?: Config;
  /** Serve the dashboard (`/` redirects to `/dashboard/`); its script is bundled when the app is built. */
  dashboard?: boolean;
  /**
   * Abuse limits (`API_MUTATION_RATE_LIMIT`, `RELOAD_MIN_INTERVAL`); left out, the configuration's defaults:
   * 60 changes a minute per caller, the open GET /reload at most once in 5 s.
   */
  limits?: { mutations: { limit: number; windowMs: number }; reloadMinIntervalMs: number };
}

const defaultLimits = { mutations: { limit: 60, windowMs: 60_000 }, reloadMinIntervalMs: 5000 };

/** Builds the HTTP app from its dependencies; `server.ts` wires real ones, tests may pass their own. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const metrics = createApiMetrics(deps.models, deps.cluster, deps.monitoring);
  const limits = deps.limits ?? defaultLimits;
  app.disable('x-powered-by');
  // Answers are computed per request (predictions, live status): an ETag would cost a SHA-1 of every body
  // for caches that never see a repeat.
  app.disable('etag');
  app.use(requestContext(deps.logger));
  app.use(metrics.timeRequests);
  app.get('/metrics', metrics.serve);
  // Built once: served as /openapi.json and /docs, and the source of the 405 answers' allowed methods.
  const contract = openApiDocument(deps.serving.maxBatchRows);
  const docs = openApiRoutes(contract);
  app.get('/openapi.json', docs.document);
  app.get('/docs', docs.page);
  // 405 (and OPTIONS) for a served path asked with a method the contract does not declare.
  app.use(methodNotAllowed(contract.paths));
  // Before the body is read: a caller over its allowance costs no parsing.
  app.use(mutationRateLimit(deps.keys, limits.mutations));
  // JSON is read only for the operations whose contract declares a body (their routes answer 415 otherwise).
  const withBody = declaresBody(contract.paths);
  app.use(
    express.json({
      limit: deps.serving.maxBodyBytes,
      type: (req) => withBody(req) && Boolean((req as express.Request).is('application/json')),
    }),
  );
  app.use(healthRoutes(deps.readiness));
  app.use(
    predictRoutes(deps.models, {
      modelName: deps.serving.predictModel,
      maxBatchRows: deps.serving.maxBatchRows,
      onPredicted: metrics.countPredictions,
    }),
  );
  app.use(
    modelRoutes(
      deps.models,
      deps.serving.predictModel,
      requirePermission(deps.keys, 'models'),
      limits.reloadMinIntervalMs,
    ),
  );
  if (deps.locations) app.use(locationRoutes({ ...deps.locations, keys: deps.keys }));
  if (deps.forecast) app.use(forecastRoutes(deps.forecast));
  if (deps.sensors) app.use(sensorRoutes({ ...deps.sensors, keys: deps.keys }));
  if (deps.incidents) app.use(incidentRoutes({ ...deps.incidents, keys: deps.keys }));
  if (deps.monitoring) app.use(monitoringRoutes(deps.monitoring));
  if (deps.pipelines) app.use(pipelineRoutes(deps.pipelines));
  if (deps.timeline) app.use(locationTimelineRoutes({ ...deps.timeline, store: deps.models }));
  if (deps.quality) app.use(qualityRoutes(deps.quality));
  if (deps.promotions) app.use(promotionRoutes(deps.promotions));
  if (deps.liveFeed) app.use(eventRoutes(deps.liveFeed));
  if (deps.links) app.use(linkRoutes(deps.links));
  if (deps.dashboard) app.use(dashboardRoutes());
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

import express, { type Express } from 'express';

import type { Logger } from '../adapters/logger';

import { errorHandler, notFound } from './middleware/errors';
import { requestContext } from './middleware/request-context';
import { healthRoutes, type ReadinessCheck } from './routes/health';

export interface AppDeps {
  logger: Logger;
  readiness: Record<string, ReadinessCheck>;
}

/** Builds the HTTP app from its dependencies; `server.ts` wires real ones, tests may pass their own. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext(deps.logger));
  app.use(express.json({ limit: '5mb' }));
  app.use(healthRoutes(deps.readiness));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type pg from 'pg';

import type { MlflowClient } from '../../adapters/mlflow/client';
import { modelLineups } from '../../adapters/mlflow/model-lineup';
import { listPromotions } from '../../adapters/postgres/promotions';
import { workflowUrl } from '../../adapters/temporal/client';
import { listPendingApprovals } from '../../adapters/temporal/pending-approvals';
import type { Config } from '../../config';

import { monitoringReportsQuery } from './monitoring';
import { invalidBody } from './predict';

/** The query of GET /models/promotions: the same filters as the drift reports'. */
export const promotionsQuery = monitoringReportsQuery;

/**
 * The promotion side of the models, for people deciding: each model's champion and challenger with their
 * holdout figures (the registry), the audit trail of decisions (table model_promotions), and the training
 * runs waiting for a decision (Temporal), each with its Web UI link. Deciding is POST /pipelines/{id}/approval.
 */
export function promotionRoutes(deps: {
  pool: pg.Pool;
  mlflow: MlflowClient;
  config: Config;
  temporal: () => Promise<Client>;
}): Router {
  const router = Router();
  router.get('/models/lineup', async (_req, res) => {
    res.json({ models: await modelLineups(deps.mlflow, deps.config.mlflow.url) });
  });
  router.get('/models/promotions', async (req, res) => {
    const parsed = promotionsQuery.safeParse(req.query);
    if (!parsed.success) throw invalidBody(parsed.error);
    const { model, limit } = parsed.data;
    const promotions = await listPromotions(deps.pool, {
      ...(model === undefined ? {} : { modelName: model }),
      ...(limit === undefined ? {} : { limit }),
    });
    res.json({ promotions: promotions.map((p) => ({ ...p, url: workflowUrl(deps.config, p.workflowId) })) });
  });
  router.get('/approvals', async (_req, res) => {
    const pending = await listPendingApprovals(await deps.temporal(), deps.config);
    // Visibility lags the run a little: one decided a moment ago is left out by its own answer.
    res.json({ approvals: pending.filter((p) => p.status === undefined || p.status.stage === 'awaiting_approval') });
  });
  return router;
}

import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';

import { findMonitoringReport, listMonitoringReports } from '../../adapters/postgres/monitoring-reports';
import { liveAccuracy } from '../../adapters/postgres/prediction-log';
import { isoHour } from '../../core/training/request';

import { listLimit } from './list-limit';
import { invalidBody } from './predict';

/** The query of GET /monitoring/reports (its OpenAPI parameters come from it). */
export const monitoringReportsQuery = z.strictObject({
  model: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a registered model name such as aqi-eaqi-instant')
    .optional()
    .describe('Only the reports of this model'),
  limit: listLimit('At most this many reports (default 50), newest first'),
});
/** The query of GET /monitoring/accuracy (its OpenAPI parameters come from it). */
export const monitoringAccuracyQuery = z.strictObject({
  model: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a registered model name such as aqi-eaqi-forecast-24h')
    .optional()
    .describe('Only this model'),
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'a model version number such as 3')
    .optional()
    .describe('Only this version (with or without `model`)'),
  hours: z
    .string()
    .regex(/^[0-9]{1,4}$/, 'whole hours from 1 to 2160')
    .transform(Number)
    .pipe(z.number().int().min(1).max(2160))
    .optional()
    .describe('Length of the rolling window of target hours (default 168, a week)'),
  to: isoHour
    .optional()
    .describe("End of the window (exclusive); by default the hour after each version's newest resolved prediction"),
});

/** One version and horizon's live accuracy (also its OpenAPI schema). */
export const liveAccuracyAnswer = z.looseObject({
  modelName: z.string(),
  modelVersion: z.string(),
  horizonHours: z.number().int(),
  from: z.string().describe('The window of target hours, [from, to)'),
  to: z.string(),
  resolved: z.number().int().describe('Predictions whose actual is stored'),
  hours: z.number().int().describe('Distinct target hours among them'),
  pending: z.number().int().describe('Predictions still waiting for their hour'),
  mae: z.number().optional().describe('Live MAE of the resolved predictions'),
  holdoutMae: z.number().optional().describe("The version's MAE on its training holdout (MLflow metric test_mae)"),
  ratio: z.number().optional().describe('mae / holdoutMae'),
});

/** A report id as the path carries it: the row's id, ASCII digits (what the OpenAPI document shows). */
export const monitoringReportIdText = z.string().regex(/^[1-9][0-9]{0,14}$/, 'a report id: a positive whole number');
/** The same, read as the number the table keys on. */
export const monitoringReportId = monitoringReportIdText.transform(Number);

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

/**
 * The champion monitor's reports as stored by `monitorChampion` (table monitoring_reports): the list,
 * newest first, with each verdict and its links (MLflow run, HTML report); one with its full JSON report.
 * And live accuracy from the prediction log: rolling MAE per model version and horizon beside its holdout MAE.
 */
export function monitoringRoutes(deps: { pool: pg.Pool }): Router {
  const router = Router();
  router.get('/monitoring/reports', async (req, res) => {
    const { model, limit } = parse(monitoringReportsQuery, req.query);
    const reports = await listMonitoringReports(deps.pool, {
      ...(model === undefined ? {} : { modelName: model }),
      ...(limit === undefined ? {} : { limit }),
    });
    res.json({ reports });
  });
  router.get('/monitoring/accuracy', async (req, res) => {
    const { model, version, hours, to } = parse(monitoringAccuracyQuery, req.query);
    const accuracy = await liveAccuracy(deps.pool, {
      ...(model === undefined ? {} : { modelName: model }),
      ...(version === undefined ? {} : { modelVersion: version }),
      hours: hours ?? 168,
      ...(to === undefined ? {} : { to }),
    });
    res.json({ accuracy });
  });
  router.get('/monitoring/reports/:id', async (req, res) => {
    const report = await findMonitoringReport(deps.pool, parse(monitoringReportId, req.params.id));
    res.json({ report });
  });
  return router;
}

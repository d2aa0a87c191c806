import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';

import { findMonitoringReport, listMonitoringReports } from '../../adapters/postgres/monitoring-reports';

import { invalidBody } from './predict';

/** The query of GET /monitoring/reports (its OpenAPI parameters come from it). */
export const monitoringReportsQuery = z.strictObject({
  model: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a registered model name such as aqi-eaqi-instant')
    .optional()
    .describe('Only the reports of this model'),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'a whole number from 1 to 200')
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .optional()
    .describe('At most this many reports (default 50), newest first'),
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
  router.get('/monitoring/reports/:id', async (req, res) => {
    const report = await findMonitoringReport(deps.pool, parse(monitoringReportId, req.params.id));
    res.json({ report });
  });
  return router;
}

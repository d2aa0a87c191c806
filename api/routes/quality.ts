import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';

import { listQualityVerdicts } from '../../adapters/postgres/quality-reports';
import { workflowUrl } from '../../adapters/temporal/client';
import type { Config } from '../../config';
import { locationId } from '../../core/air-quality/messages';

import { listLimit } from './list-limit';
import { invalidBody } from './predict';

/** The query of GET /quality/reports. */
export const qualityReportsQuery = z.strictObject({
  location: locationId.optional().describe('Only the reports whose window covers this location'),
  limit: listLimit('At most this many reports (default 50), newest window first'),
});

/** The data-quality verdicts the checkDataQuality runs stored, each with the Web UI link of its run. */
export function qualityRoutes(deps: { pool: pg.Pool; config: Config }): Router {
  const router = Router();
  router.get('/quality/reports', async (req, res) => {
    const parsed = qualityReportsQuery.safeParse(req.query);
    if (!parsed.success) throw invalidBody(parsed.error);
    const { location, limit = 50 } = parsed.data;
    const reports = await listQualityVerdicts(deps.pool, { ...(location ? { locationId: location } : {}), limit });
    res.json({ reports: reports.map((r) => ({ ...r, url: workflowUrl(deps.config, r.workflowId) })) });
  });
  return router;
}

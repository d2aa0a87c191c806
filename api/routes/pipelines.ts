import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';

import {
  describePipeline,
  sendApproval,
  startBackfill,
  startQualityCheck,
  startTraining,
} from '../../adapters/temporal/pipeline-runs';
import type { ApiKey, Config } from '../../config';
import { isoHour, trainingRequest } from '../../core/training/request';
import { crossField, textOfAtMost } from '../../core/validation';
import { triggerNow, type WorkTrigger } from '../../core/work-ids/trigger';
import { requirePermission } from '../middleware/api-key';

import { invalidBody, requireJson } from './predict';

const locationIds = z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1);
export const qualityBody = z
  .object({ locationIds, from: isoHour, to: isoHour })
  .strict()
  .refine((w) => w.from < w.to, { message: 'to must be after from', path: ['to'], params: crossField });
export const backfillBody = z
  .object({ locationIds, from: isoHour, to: isoHour, dryRun: z.boolean().optional() })
  .strict()
  .refine((w) => w.from <= w.to, { message: 'to must not be before from', path: ['to'], params: crossField });
export const approvalBody = z
  .object({ decision: z.enum(['approve', 'reject']), comment: textOfAtMost(2000).optional() })
  .strict();

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  return parsed.data;
}

/** The API as a trigger: the route and the calling key's name (who started or joined the run). */
function apiTrigger(route: string, locals: Record<string, unknown>): WorkTrigger {
  return triggerNow('api', `POST ${route} by ${String(locals.caller ?? 'unknown key')}`);
}

/**
 * Pipeline control: start backfills, trainings and quality checks (202 with the workflow id and its Web UI
 * link; the same request again joins the same run), read a run's status, and decide on a challenger (the
 * approvePromotion update) as the calling key's name.
 */
export function pipelineRoutes(deps: {
  temporal: () => Promise<Client>;
  config: Config;
  keys: readonly ApiKey[];
}): Router {
  const router = Router();
  const { config } = deps;
  const canStart = requirePermission(deps.keys, 'pipelines');

  router.post('/pipelines/backfill', canStart, requireJson, async (req, res) => {
    const input = parse(backfillBody, req.body);
    res.status(202).json(await startBackfill(await deps.temporal(), config, input, apiTrigger(req.path, res.locals)));
  });
  router.post('/pipelines/quality', canStart, requireJson, async (req, res) => {
    // [from, to) like the workflow: `to` is the first hour not checked.
    const input = parse(qualityBody, req.body);
    res
      .status(202)
      .json(await startQualityCheck(await deps.temporal(), config, input, apiTrigger(req.path, res.locals)));
  });
  router.post('/pipelines/training', canStart, requireJson, async (req, res) => {
    const request = parse(trainingRequest, req.body);
    const run = await startTraining(await deps.temporal(), config, request, apiTrigger(req.path, res.locals));
    res.status(202).json({
      workflowId: run.workflowId,
      started: run.started,
      ...(run.completedRun === undefined ? {} : { completedRun: run.completedRun }),
      url: run.url,
    });
  });
  router.get('/pipelines/:id', async (req, res) => {
    res.json(await describePipeline(await deps.temporal(), config, String(req.params.id)));
  });
  router.post('/pipelines/:id/approval', requirePermission(deps.keys, 'approve'), requireJson, async (req, res) => {
    const body = parse(approvalBody, req.body);
    const approver = String(res.locals.caller);
    // The approvePromotion update: 409 with the workflow's reason when refused, 404 for an unknown run, 503
    // when no worker answers in time.
    const decision = { approver, ...body };
    const taken = await sendApproval(
      await deps.temporal(),
      String(req.params.id),
      decision,
      config.temporal.updateWaitMs,
    );
    res.status(202).json({ workflowId: req.params.id, approver, decision: taken.decision, stage: taken.stage });
  });
  return router;
}

import { Router, type RequestHandler } from 'express';
import { z } from 'zod';

import { eaqiBand } from '../../core/air-quality/european-aqi';
import { AppError } from '../../core/errors';
import { instantFeatures, instantInput, type InstantInput } from '../../core/ml/features';
import { servedPredictions } from '../../core/ml/served-index';
import { onlyCrossFieldIssues } from '../../core/validation';
import type { ModelStore } from '../models/model-store';

/** The body of POST /predict as the OpenAPI document states it: one row or a batch of 1 to `maxRows` rows. */
export function predictBodyContract(maxRows: number) {
  return z.strictObject({ data: z.union([instantInput, z.array(instantInput).min(1).max(maxRows)]) });
}

/**
 * What the route validates with: the same rules as `predictBodyContract`, but the seed's body, `{"data": {…five pollutants…}}`, or a batch `{"data": [{…}, …]}`. The shape of `data`
 * picks the schema (a union would report "invalid input" instead of the bad fields' paths).
 */
function predictBody(maxRows: number) {
  const batch = z.array(instantInput).min(1).max(maxRows, `at most ${maxRows} rows per request`);
  return z
    .object({ data: z.unknown() })
    .strict()
    .superRefine((body, ctx) => {
      const result = (Array.isArray(body.data) ? batch : instantInput).safeParse(body.data);
      if (result.success) return;
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['data', ...issue.path] });
      }
    })
    .transform((body) => body.data as InstantInput | InstantInput[]);
}

/** 415 unless the body is JSON: a form or text body would otherwise reach validation as `{}`. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as JSON with Content-Type: application/json', {
      httpStatus: 415,
      operational: true,
    });
  }
  next();
};

/**
 * `POST /predict`: the European AQI of one row or a batch, from the champion instant model, with its band
 * and the model that answered. Bad input never reaches the model: 400 lists every bad field by path.
 */
export function predictRoutes(
  store: ModelStore,
  options: {
    modelName: string;
    maxBatchRows: number;
    onPredicted?: (model: string, version: string, rows: number) => void;
  },
): Router {
  const router = Router();
  const body = predictBody(options.maxBatchRows);
  router.post('/predict', requireJson, (req, res) => {
    const parsed = body.safeParse(req.body);
    if (!parsed.success) throw invalidBody(parsed.error);
    const served = store.get(options.modelName);
    if (!served) {
      throw new AppError('NO_MODEL', `no champion of ${options.modelName} is loaded yet: train one and approve it`, {
        httpStatus: 503,
        operational: true,
      });
    }
    const rows = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    const predictions = servedPredictions(served.model, rows.map(instantFeatures)).map((european_aqi) => ({
      european_aqi,
      band: eaqiBand(european_aqi),
    }));
    const model = { name: served.name, version: served.version, alias: served.alias };
    options.onPredicted?.(served.name, served.version, rows.length);
    res.json(Array.isArray(parsed.data) ? { predictions, model } : { ...predictions[0], model });
  });
  return router;
}

/**
 * 400 `INVALID_BODY` for input the OpenAPI document refuses, naming every bad field; 422
 * `INCONSISTENT_FIELDS` for input that matches the document but breaks only a rule between its fields that
 * JSON Schema cannot state (core/validation.ts: a window whose end is not after its start).
 */
export function invalidBody(error: z.ZodError): AppError {
  const fields = error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
  const inconsistent = onlyCrossFieldIssues(error);
  return new AppError(
    inconsistent ? 'INCONSISTENT_FIELDS' : 'INVALID_BODY',
    fields.map((f) => `${f.path}: ${f.message}`).join('; '),
    { httpStatus: inconsistent ? 422 : 400, operational: true, details: { fields } },
  );
}

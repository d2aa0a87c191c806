import { z } from 'zod';

import type { Config } from '../config';
import { AppError } from '../core/errors';

/**
 * `airq smoke --expect-version N`: after a promotion, asks the running API what it serves. `POST /predict`
 * with the seed's request and `GET /model` must both answer with the promoted version; another version, an
 * error answer or no answer at all fails the check with the reason.
 */

type Values = Record<string, string | boolean | undefined>;

/** The seed project's example request: one row of the five pollutants. */
export const seedPredictRequest = {
  data: { pm2_5: 7.2, pm10: 11.5, carbon_monoxide: 135.0, sulphur_dioxide: 0.9, uv_index: 1.0 },
};

const servedModel = z.object({ name: z.string(), version: z.string(), alias: z.string() });
/** A one-row answer of `POST /predict` (api/routes/predict.ts). */
const predictAnswer = z.object({ european_aqi: z.number().min(0), band: z.string(), model: servedModel });
/** The fields of `GET /model` (api/routes/models.ts describeModel) the check reads. */
const modelAnswer = servedModel.extend({ algorithm: z.string(), loaded_at: z.string() });
/** What the API's error middleware answers. */
const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type PredictAnswer = z.infer<typeof predictAnswer>;
export type ModelAnswer = z.infer<typeof modelAnswer>;

/** The model a pipeline promoted: a registry version, and optionally its registered name. */
export interface SmokeExpectation {
  version: string;
  modelName?: string;
}

/** Each route whose answer names another model or version than expected; empty when both serve it. */
export function servedModelProblems(
  expected: SmokeExpectation,
  answers: { predict: PredictAnswer; model: ModelAnswer },
): string[] {
  const served = [
    ['POST /predict', answers.predict.model],
    ['GET /model', answers.model],
  ] as const;
  return served.flatMap(([route, model]) => {
    const wrong = [
      ...(expected.modelName !== undefined && model.name !== expected.modelName
        ? [`model ${model.name} (expected ${expected.modelName})`]
        : []),
      ...(model.version !== expected.version ? [`version ${model.version} (expected ${expected.version})`] : []),
    ];
    return wrong.length > 0 ? [`${route} answered with ${wrong.join(' and ')}`] : [];
  });
}

/** Calls both routes and checks them; returns the lines to print, throws an AppError when the check fails. */
export async function smokeTest(
  apiUrl: string,
  expected: SmokeExpectation,
  fetchImpl: typeof fetch = fetch,
): Promise<string[]> {
  const predict = await callApi(fetchImpl, 'POST', `${apiUrl}/predict`, predictAnswer, seedPredictRequest);
  const model = await callApi(fetchImpl, 'GET', `${apiUrl}/model`, modelAnswer);
  const problems = servedModelProblems(expected, { predict, model });
  if (problems.length > 0) {
    throw new AppError(
      'SMOKE_MISMATCH',
      `the API at ${apiUrl} does not serve the promoted model: ${problems.join('; ')}`,
    );
  }
  return [
    `POST /predict (seed request): european_aqi ${predict.european_aqi.toFixed(1)} (${predict.band}) from ${predict.model.name} version ${predict.model.version}`,
    `GET /model: ${model.name} version ${model.version} (${model.algorithm}, @${model.alias}, loaded ${model.loaded_at})`,
  ];
}

async function callApi<S extends z.ZodType>(
  fetchImpl: typeof fetch,
  method: 'GET' | 'POST',
  url: string,
  schema: S,
  body?: unknown,
): Promise<z.output<S>> {
  const route = `${method} ${new URL(url).pathname}`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method,
      signal: AbortSignal.timeout(10_000),
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new AppError('API_UNREACHABLE', `${route}: no answer from ${url}; is the API running (npm run api)?`, {
      cause: err,
    });
  }
  const text = await response.text();
  const json = parseJson(text);
  if (!response.ok) {
    const error = errorAnswer.safeParse(json);
    const reason = error.success ? `${error.data.error.code}: ${error.data.error.message}` : text.slice(0, 200);
    throw new AppError('SMOKE_HTTP_STATUS', `${route} answered ${response.status} (${reason})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new AppError('SMOKE_BAD_ANSWER', `${route} answered an unexpected body (${issues})`);
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `airq smoke --expect-version N [--model <name>]`: exit 0 when the API serves that version. */
export async function smoke(config: Config, values: Values): Promise<number> {
  const version = values['expect-version'];
  if (typeof version !== 'string' || !/^\d+$/.test(version)) {
    console.error('usage: airq smoke --expect-version <registry version, e.g. 3> [--model <name>]');
    return 2;
  }
  const expected = { version, ...(typeof values.model === 'string' ? { modelName: values.model } : {}) };
  for (const line of await smokeTest(config.api.url, expected)) console.log(line);
  console.log(`ok: the API at ${config.api.url} serves the promoted version ${version}`);
  return 0;
}

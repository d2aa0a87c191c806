import { z } from 'zod';

import { AppError } from '../../core/errors';

const reloadAnswer = z.object({
  reloaded: z.array(z.object({ name: z.string(), result: z.string(), version: z.string().optional() }).loose()),
  models: z.array(z.object({ name: z.string(), version: z.string() }).loose()),
});

export interface DeployOutcome {
  confirmed: boolean;
  detail: string;
}

/**
 * Deploy: asks the API to reload its champions from the registry and checks that it now serves the version.
 * With a key that has the `models` permission it calls `POST /reload`, which always reloads; without one,
 * the open `GET /reload` (the seed's endpoint), which may answer from a reload less than RELOAD_MIN_INTERVAL
 * old. Throws, so Temporal retries, while the API is unreachable or still serves another version; a model
 * outside the API's naming (`aqi-eaqi-instant`, `aqi-eaqi-forecast-<h>h`), which it never serves, is
 * reported at once.
 */
export async function deployToApi(
  api: { url: string; key?: string },
  input: { modelName: string; version: string },
): Promise<DeployOutcome> {
  const apiUrl = api.url;
  const method = api.key ? 'POST' : 'GET';
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/reload`, {
      method,
      ...(api.key ? { headers: { authorization: `Bearer ${api.key}` } } : {}),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new AppError('API_UNREACHABLE', `the API at ${apiUrl} did not answer ${method} /reload`, { cause: err });
  }
  const parsed = reloadAnswer.safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !parsed.success) {
    throw new AppError(
      'DEPLOY_NOT_CONFIRMED',
      `the API at ${apiUrl} answered ${method} /reload with ${response.status}`,
    );
  }
  if (!parsed.data.reloaded.some((r) => r.name === input.modelName)) {
    return {
      confirmed: false,
      detail: `the API at ${apiUrl} does not serve ${input.modelName}: it serves the champions of aqi-eaqi-instant and aqi-eaqi-forecast-<h>h`,
    };
  }
  const served = parsed.data.models.find((m) => m.name === input.modelName);
  if (served?.version !== input.version) {
    throw new AppError(
      'DEPLOY_NOT_CONFIRMED',
      `the API serves ${input.modelName} version ${served?.version ?? 'none'}, expected ${input.version}`,
    );
  }
  return { confirmed: true, detail: `the API at ${apiUrl} serves ${input.modelName} version ${input.version}` };
}

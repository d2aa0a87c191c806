import type { ZodMiniType } from 'zod/mini';

let apiKey = '';

/** The key typed in the page: kept in memory only, sent as a Bearer header, never stored in a cookie. */
export function setApiKey(key: string): void {
  apiKey = key.trim();
}

/** An error answer of the API, with its code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function answerOf<T>(response: Response, schema: ZodMiniType<T>): Promise<T> {
  const body: unknown = await response.json();
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } }).error;
    throw new ApiError(response.status, error?.code ?? 'ERROR', error?.message ?? response.statusText);
  }
  return schema.parse(body);
}

/** GET a documented route and check its answer against the schema the page relies on. */
export async function getJson<T>(path: string, schema: ZodMiniType<T>): Promise<T> {
  return answerOf(await fetch(path, { headers: { accept: 'application/json' } }), schema);
}

/** POST JSON with the typed API key (the routes that change something need one). */
export async function postJson<T>(path: string, body: unknown, schema: ZodMiniType<T>): Promise<T> {
  if (!apiKey) throw new ApiError(401, 'NO_KEY', 'enter an API key first (top right)');
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
  });
  return answerOf(response, schema);
}

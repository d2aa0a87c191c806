import type { z } from 'zod';

import { AppError } from '../../core/errors';

/**
 * The one way this adapter speaks HTTP to MLflow:
 * 1. 5xx, 429 and network failures (including a body cut off mid-way) are retried with exponential backoff
 *    and jitter, honouring `Retry-After`, for a bounded number of attempts;
 * 2. any other refusal becomes an MlflowRequestError naming the endpoint and MLflow's `error_code`;
 * 3. JSON answers are validated by the caller's zod schema.
 */

export interface MlflowHttpOptions {
  /** Retries after the first attempt. */
  retries?: number;
  /** Per attempt, body included. */
  timeoutMs?: number;
  /** First backoff delay; it doubles at each retry. */
  backoffMs?: number;
  fetchImpl?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface MlflowRequest {
  method?: Method;
  query?: Record<string, string | number | undefined>;
  /** Sent as a JSON body. */
  json?: unknown;
  /** Sent as is (artifact uploads). */
  body?: string | Uint8Array;
  contentType?: string;
  /**
   * False for creations that are not idempotent (a run, a model version): after a timeout or a 5xx the
   * first attempt may have landed, and a blind retry would create a second one. The caller retries
   * instead, after looking for what the first attempt made (runs by tag, versions by run id).
   */
  retryable?: boolean;
}

export interface MlflowHttp {
  readonly baseUrl: string;
  /** Sends the request and returns the body validated by `schema` (an empty body reads as `{}`). */
  call<T extends z.ZodType>(path: string, schema: T, request?: MlflowRequest): Promise<z.output<T>>;
  /** Sends the request and returns the raw body. */
  bytes(path: string, request?: MlflowRequest): Promise<Uint8Array>;
}

/** MLflow answered with a refusal: `errorCode` is MLflow's own (`RESOURCE_DOES_NOT_EXIST`, …) when it sent one. */
export class MlflowRequestError extends AppError {
  readonly endpoint: string;
  readonly status: number;
  readonly errorCode: string | undefined;

  constructor(endpoint: string, status: number, errorCode: string | undefined, detail: string) {
    super(
      'MLFLOW_REQUEST_FAILED',
      `MLflow ${endpoint} failed with HTTP ${status}${errorCode === undefined ? '' : ` ${errorCode}`}: ${detail}`,
      { httpStatus: 502 },
    );
    this.name = 'MlflowRequestError';
    this.endpoint = endpoint;
    this.status = status;
    this.errorCode = errorCode;
  }
}

export const hasErrorCode = (err: unknown, errorCode: string): err is MlflowRequestError =>
  err instanceof MlflowRequestError && err.errorCode === errorCode;

/** For getters whose "not found" is an answer, not a failure. */
export async function undefinedIfMissing<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (err) {
    if (hasErrorCode(err, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw err;
  }
}

const retryableStatus = (status: number) => status === 429 || status >= 500;
/** A server asking for longer than this is waited for this long: the caller's own retry policy does the rest. */
const longestWaitMs = 30_000;
const detailLength = 500;

export function createMlflowHttp(baseUrl: string, options: MlflowHttpOptions = {}): MlflowHttp {
  const root = baseUrl.replace(/\/+$/, '');
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const backoffMs = options.backoffMs ?? 250;
  const fetchImpl = options.fetchImpl ?? fetch;

  const waitBeforeRetry = (attempt: number, retryAfter: string | null) => {
    const backoff = backoffMs * 2 ** attempt * (0.5 + Math.random() / 2);
    const asked = retryAfterMs(retryAfter) ?? 0;
    return new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(backoff, asked), longestWaitMs)));
  };

  async function send(path: string, request: MlflowRequest): Promise<Uint8Array> {
    const method = request.method ?? 'GET';
    const endpoint = `${method} ${path}`;
    const query = Object.entries(request.query ?? {}).flatMap(([k, v]): [string, string][] =>
      v === undefined ? [] : [[k, String(v)]],
    );
    const url = `${root}${path}${query.length > 0 ? `?${new URLSearchParams(query)}` : ''}`;
    const json = request.json !== undefined;
    const contentType = json ? 'application/json' : request.body === undefined ? undefined : request.contentType;
    const init: RequestInit = {
      method,
      headers: contentType === undefined ? {} : { 'content-type': contentType },
      body: json ? JSON.stringify(request.json) : request.body,
    };

    const attempts = request.retryable === false ? 0 : retries;
    for (let attempt = 0; ; attempt++) {
      let status: number;
      let retryAfter: string | null;
      let body: Uint8Array;
      try {
        const response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        body = new Uint8Array(await response.arrayBuffer());
      } catch (err) {
        if (attempt < attempts) {
          await waitBeforeRetry(attempt, null);
          continue;
        }
        const message = `MLflow at ${root} did not answer ${endpoint} (${attempt + 1} attempts)`;
        throw new AppError('MLFLOW_UNREACHABLE', message, { httpStatus: 502, cause: err });
      }
      if (status >= 200 && status < 300) return body;
      if (retryableStatus(status) && attempt < attempts) {
        await waitBeforeRetry(attempt, retryAfter);
        continue;
      }
      const refusal = readRefusal(body);
      throw new MlflowRequestError(endpoint, status, refusal.errorCode, refusal.message);
    }
  }

  return {
    baseUrl: root,
    bytes: (path, request = {}) => send(path, request),
    call: async (path, schema, request = {}) => {
      const text = new TextDecoder().decode(await send(path, request));
      let body: unknown;
      try {
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        body = text;
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new AppError(
          'MLFLOW_BAD_RESPONSE',
          `MLflow ${request.method ?? 'GET'} ${path} answered an unexpected body: ${parsed.error.message.slice(0, detailLength)}`,
          { httpStatus: 502 },
        );
      }
      return parsed.data;
    },
  };
}

/** MLflow refuses with `{"error_code": …, "message": …}`; proxies and the web framework answer with HTML. */
function readRefusal(body: Uint8Array): { errorCode?: string; message: string } {
  const text = new TextDecoder().decode(body);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) {
      const { error_code: errorCode, message } = parsed as Record<string, unknown>;
      return {
        errorCode: typeof errorCode === 'string' ? errorCode : undefined,
        message: (typeof message === 'string' ? message : text).slice(0, detailLength),
      };
    }
  } catch {
    // not JSON: keep the text
  }
  return {
    message:
      text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, detailLength) || '(empty body)',
  };
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

import type { ApiKey } from '../../config';
import { AppError } from '../../core/errors';

import { callerKey } from './api-key';

/** Reads and /predict (a computation, not a change) are not counted. */
const counted = (method: string, path: string) =>
  ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) && path !== '/predict';

/**
 * Limits the mutating requests (starting pipelines, approvals, locations, `POST /reload`) to `limit` per
 * `windowMs` for each API key, or for each client address when the request names no known key (so sending
 * made-up keys does not buy a fresh allowance). Above it: 429 with `Retry-After` and the platform's error
 * body, before the body is read or the key checked. Counted in memory, per API process.
 */
export function mutationRateLimit(
  keys: readonly ApiKey[],
  options: { limit: number; windowMs: number },
): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => !counted(req.method, req.path),
    keyGenerator: (req) => {
      const key = callerKey(keys, req);
      return key ? `key:${key.name}` : `address:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, _res, next, used) => {
      next(
        new AppError(
          'RATE_LIMITED',
          `more than ${used.limit} changes in ${used.windowMs / 1000} s from this caller: retry after the Retry-After seconds`,
          { httpStatus: 429, operational: true },
        ),
      );
    },
  });
}

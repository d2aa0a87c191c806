import { createHash, timingSafeEqual } from 'node:crypto';

import type { Request, RequestHandler } from 'express';

import type { ApiKey, ApiPermission } from '../../config';
import { AppError } from '../../core/errors';

/**
 * Guards a mutating route: 401 without a known `Authorization: Bearer <key>`, 403 when the key lacks the
 * permission. The key's name is put in `res.locals.caller`: it is who approvals are recorded as.
 */
export function requirePermission(keys: readonly ApiKey[], permission: ApiPermission): RequestHandler {
  return (req, res, next) => {
    const key = callerKey(keys, req);
    if (!key) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new AppError('UNAUTHENTICATED', 'send an API key as Authorization: Bearer <key>', {
        httpStatus: 401,
        operational: true,
      });
    }
    if (!key.permissions.includes(permission)) {
      throw new AppError('FORBIDDEN', `the key "${key.name}" may not ${permission}`, {
        httpStatus: 403,
        operational: true,
      });
    }
    res.locals.caller = key.name;
    next();
  };
}

/** The configured key the request's `Authorization: Bearer <key>` names, if any. */
export function callerKey(keys: readonly ApiKey[], req: Request): ApiKey | undefined {
  const sent = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (sent === undefined) return undefined;
  // Every key is compared, and each comparison takes the same time whatever the text: the digests have one
  // length, so neither a key's prefix nor its length shows in the answer time.
  const digest = sha256(sent);
  let found: ApiKey | undefined;
  for (const key of keys) if (timingSafeEqual(sha256(key.key), digest) && !found) found = key;
  return found;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

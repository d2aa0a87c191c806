import type { RequestHandler } from 'express';

import type { ApiKey, ApiPermission } from '../../config';
import { AppError } from '../../core/errors';

/**
 * Guards a mutating route: 401 without a known `Authorization: Bearer <key>`, 403 when the key lacks the
 * permission. The key's name is put in `res.locals.caller`: it is who approvals are recorded as.
 */
export function requirePermission(keys: readonly ApiKey[], permission: ApiPermission): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const key = match ? keys.find((k) => timingSafeEqualText(k.key, match[1] ?? '')) : undefined;
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

/** Compares without stopping at the first different character, so timing does not leak a key's prefix. */
function timingSafeEqualText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

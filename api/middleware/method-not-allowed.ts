import type { RequestHandler } from 'express';

import { AppError } from '../../core/errors';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * 405 with an `Allow` header for a path the API serves asked with a method it does not declare, instead of
 * a 404 that reads as "no such path". The paths and their methods come from the OpenAPI document, so the
 * answer and the contract cannot disagree. Mounted after the routes, before the 404.
 */
export function methodNotAllowed(
  paths: Record<string, Partial<Record<(typeof methods)[number], unknown>>>,
): RequestHandler {
  const templates = Object.entries(paths).map(([template, operations]) => {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+');
    const declared = methods.filter((m) => operations[m] !== undefined).map((m) => m.toUpperCase());
    if (declared.includes('GET') && !declared.includes('HEAD')) declared.push('HEAD');
    return { match: new RegExp(`^${pattern}/?$`), allow: declared };
  });
  return (req, res, next) => {
    const known = templates.find((t) => t.match.test(req.path));
    if (!known || known.allow.includes(req.method)) {
      next();
      return;
    }
    res.set('Allow', known.allow.join(', '));
    throw new AppError(
      'METHOD_NOT_ALLOWED',
      `${req.method} is not allowed on ${req.path}; allowed: ${known.allow.join(', ')}`,
      {
        httpStatus: 405,
        operational: true,
      },
    );
  };
}

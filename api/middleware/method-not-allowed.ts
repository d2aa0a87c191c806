import type { IncomingMessage } from 'node:http';

import type { RequestHandler } from 'express';

import { AppError } from '../../core/errors';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type Paths = Record<string, Partial<Record<(typeof methods)[number], unknown>>>;

interface Template {
  match: RegExp;
  /** The declared methods, upper case, HEAD beside GET (Express answers HEAD with the GET route). */
  allow: string[];
  /** The declared methods that take a request body. */
  withBody: Set<string>;
}

/**
 * The contract's operations by request path. A path without parameters wins over a templated one, as
 * OpenAPI says (`/pipelines/backfill` is that path, not `/pipelines/{id}` with the id "backfill"). Matched
 * without regard to case and with an optional trailing slash, as Express routes by default.
 */
export function contractOperations(paths: Paths): (path: string) => Template | undefined {
  const templates = Object.entries(paths)
    .sort(([a], [b]) => Number(a.includes('{')) - Number(b.includes('{')))
    .map(([template, operations]): Template => {
      const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+');
      const declared = methods.filter((m) => operations[m] !== undefined).map((m) => m.toUpperCase());
      if (declared.includes('GET') && !declared.includes('HEAD')) declared.push('HEAD');
      const withBody = methods.filter((m) => (operations[m] as { requestBody?: unknown } | undefined)?.requestBody);
      return {
        match: new RegExp(`^${pattern}/?$`, 'i'),
        allow: declared,
        withBody: new Set(withBody.map((m) => m.toUpperCase())),
      };
    });
  return (path) => templates.find((t) => t.match.test(path));
}

/**
 * Whether the contract declares a body for this request's operation: only then is the body read (413 and
 * 415 are answers of those operations only; a body sent elsewhere is ignored, never parsed).
 */
export function declaresBody(paths: Paths): (req: IncomingMessage) => boolean {
  const find = contractOperations(paths);
  return (req) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    return find(path)?.withBody.has(req.method ?? '') ?? false;
  };
}

/**
 * For a path the API serves: 405 with an `Allow` header when asked with a method the contract does not
 * declare, instead of a 404 that reads as "no such path"; OPTIONS answers 204 with the same `Allow`. The
 * paths and their methods come from the OpenAPI document, so the answer and the contract cannot disagree.
 * Mounted before the routes, so a route whose path a template also matches (`GET /pipelines/:id` for
 * `/pipelines/backfill`) cannot answer a method the contract does not give that path.
 */
export function methodNotAllowed(paths: Paths): RequestHandler {
  const find = contractOperations(paths);
  return (req, res, next) => {
    const known = find(req.path);
    if (!known || known.allow.includes(req.method)) {
      next();
      return;
    }
    if (req.method === 'OPTIONS') {
      res
        .set('Allow', [...known.allow, 'OPTIONS'].join(', '))
        .status(204)
        .end();
      return;
    }
    res.set('Allow', known.allow.join(', '));
    throw new AppError(
      'METHOD_NOT_ALLOWED',
      `${req.method} is not allowed on ${req.path}; allowed: ${known.allow.join(', ')}`,
      { httpStatus: 405, operational: true },
    );
  };
}

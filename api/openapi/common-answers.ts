import { error } from './errors';

const rateLimited = error(
  'too many changes from this caller (API_MUTATION_RATE_LIMIT): `RATE_LIMITED`, with Retry-After',
);

/**
 * Answers beside each operation's own: 413 (too large) and 415 (not JSON) where a JSON body is read; 400
 * where a path parameter is read (one that is not valid percent-encoded UTF-8); 429 on the changing methods
 * the rate limit covers (all but POST /predict, which reads only).
 */
export function withCommonAnswers<
  T extends Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string }[]; responses: object }>>,
>(paths: T): T {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.requestBody !== undefined) {
        operation.responses = {
          '413': error('the body is larger than API_MAX_BODY: `BODY_TOO_LARGE`'),
          '415': error('the body is not `application/json` (UTF-8)'),
          ...operation.responses,
        };
      }
      if (operation.parameters?.some((p) => p.in === 'path') && !('400' in operation.responses)) {
        operation.responses = { '400': error('a path segment that does not decode'), ...operation.responses };
      }
      if (method !== 'get' && path !== '/predict') operation.responses = { ...operation.responses, '429': rateLimited };
    }
  }
  return paths;
}

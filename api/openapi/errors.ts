import { z } from 'zod';

import { answer } from './schema';

/** The body of every error answer (api/middleware/errors.ts); `error` may carry facts of its own (`near`, `readings`). */
export const errorAnswer = z.strictObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  }),
  requestId: z.string().optional(),
});
export const error = (description: string) => answer(description, errorAnswer);

/** The error answers many operations share. */
export const invalid = error(
  'the request does not match this document: `INVALID_BODY` (or `INVALID_JSON`), with the fields',
);
export const unauthenticated = error('no known API key in `Authorization: Bearer <key>`: `UNAUTHENTICATED`');
export const forbidden = error('the key lacks the permission the operation needs: `FORBIDDEN`');

/** The 422 text of a window read over [from, to) of at most `days` days. */
export const windowRules = (days: number) =>
  `\`INCONSISTENT_FIELDS\`: \`to\` is not after \`from\`, or the window spans more than ${days} days (rules between fields JSON Schema cannot state)`;

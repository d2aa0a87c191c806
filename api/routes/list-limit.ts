import { z } from 'zod';

/**
 * The `limit` query parameter of the API's report lists: at most this many rows, a whole number from 1 to
 * 200 sent as text. `description` is what the OpenAPI document says of it (the default, the order).
 */
export const listLimit = (description: string) =>
  z
    .string()
    .regex(/^[0-9]{1,3}$/, 'a whole number from 1 to 200')
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .optional()
    .describe(description);

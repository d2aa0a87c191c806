import { z } from 'zod';

/**
 * Validation rules shared by the request schemas that need more than zod's built-ins to say exactly what
 * the OpenAPI document generated from them says (api/openapi.ts).
 */

/**
 * Marks a zod refinement that compares two fields of one value (a window's `from` before its `to`): JSON
 * Schema cannot state such a rule, so the OpenAPI document can only describe it in words. The API answers
 * a body that breaks only such rules with 422 (it matches the documented schema, its values contradict each
 * other), and keeps 400 for a body the documented schema refuses. Pass it as the refinement's `params`.
 */
export const crossField = { crossField: true } as const;

/** Whether every issue of a failed parse comes from a cross-field rule (and none from the schema itself). */
export function onlyCrossFieldIssues(error: z.ZodError): boolean {
  return error.issues.every(
    (issue) => issue.code === 'custom' && (issue.params as { crossField?: unknown } | undefined)?.crossField === true,
  );
}

/**
 * A string of at most `max` characters as JSON Schema counts them (code points), where zod's `.max()`
 * counts UTF-16 units: 150 emoji are 150 characters to the document and 300 to `.length`.
 */
export const textOfAtMost = (max: number) =>
  z
    .string()
    .refine((s) => [...s].length <= max, `at most ${max} characters`)
    .meta({ maxLength: max });

/**
 * The characters `String.prototype.trim` removes (ECMAScript WhiteSpace and LineTerminator), spelled out:
 * `\s` means other sets to other regex engines (Python's also takes \x1c-\x1f and \x85, not \ufeff).
 */
const trimmed = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** Some text besides white space: the document's pattern (unanchored) finds one character `trim` keeps. */
export const notBlank = new RegExp(`[^${trimmed}]`);

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

/** Two-digit month and day of a real calendar date; 29 February is the leap-year branch below. */
const monthDay =
  '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))';
/** Years 0001 to 9999: PostgreSQL has no year 0 (it refuses 0000-01-01, which `Date.parse` takes). */
const year = '(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})';
/** Gregorian leap years among them: divisible by 4 but not by 100, or by 400. */
const leapYear = '(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)';

/**
 * A real calendar date `YYYY-MM-DD` of years 0001 to 9999 as a regex source, ASCII digits only: a pattern
 * the OpenAPI document can carry as is, so what it allows is what validation accepts (`Date.parse` would
 * roll 2024-02-31 over to 2 March).
 */
export const calendarDate = `(?:${year}-${monthDay}|${leapYear}-02-29)`;

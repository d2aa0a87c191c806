import { z } from 'zod';

import { calendarDate, crossField } from '../validation';

/**
 * An ISO UTC instant on the hour, as every pipeline window is given (`2024-12-01T00:00:00Z`). The pattern
 * alone decides (it goes into the OpenAPI document as is): only real calendar dates of years 0001 to 9999,
 * hours 00 to 23, ASCII digits ([0-9], not \d, which other regex engines widen to every Unicode digit).
 * `Date.parse` would roll 2024-02-31 over to 2 March and take hour 24, so it cannot be the judge.
 */
export const isoHour = z
  .string()
  .regex(new RegExp(`^${calendarDate}T(?:[01][0-9]|2[0-3]):00:00Z$`), 'an ISO UTC hour such as 2024-12-01T00:00:00Z');

/**
 * A request to train a candidate model, as the CLI, the API and Airflow send it: validated here once, with
 * the defaults that fit the bundled data (the Lyon 2024 export: train Jan–Oct, validate on November, hold
 * out December).
 */
export const trainingRequest = z
  .object({
    kind: z.enum(['instant', 'forecast']),
    horizonHours: z
      .number()
      .int()
      .min(1)
      .max(72)
      .optional()
      .describe('Forecast models only (default 24); an instant model has none'),
    algorithm: z.enum(['random-forest', 'linear', 'persistence', 'boosted-trees']).default('random-forest'),
    params: z.record(z.string(), z.unknown()).default({}),
    locationIds: z.array(z.string().min(1)).min(1).default(['lyon']),
    trainFrom: isoHour.default('2024-01-01T00:00:00Z'),
    validationFrom: isoHour.default('2024-11-01T00:00:00Z'),
    testFrom: isoHour.default('2024-12-01T00:00:00Z'),
    testTo: isoHour.default('2025-01-01T00:00:00Z'),
    approvalTimeout: z
      .string()
      .regex(/^[0-9]+(ms|s|m|h|d)$/, 'a duration such as 72h, 30m or 10s')
      .optional(),
    tolerance: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((r) => r.trainFrom < r.validationFrom && r.validationFrom < r.testFrom && r.testFrom < r.testTo, {
    message: 'windows must be in order: trainFrom < validationFrom < testFrom < testTo',
    path: ['testFrom'],
    params: crossField,
  })
  .refine((r) => r.kind === 'forecast' || r.horizonHours === undefined, {
    message: 'an instant model has no horizon; leave horizonHours out or use kind "forecast"',
    path: ['horizonHours'],
  })
  // The rule just above, for the OpenAPI document (JSON Schema can say it, unlike the order of the windows).
  .meta({ if: { properties: { kind: { const: 'instant' } } }, then: { not: { required: ['horizonHours'] } } })
  .transform((r) => ({ ...r, ...(r.kind === 'forecast' ? { horizonHours: r.horizonHours ?? 24 } : {}) }));
export type TrainingRequest = z.output<typeof trainingRequest>;

import { z } from 'zod';

import { modelNameFor } from './promotion';

/**
 * A request to train a candidate model, as the CLI, the API and Airflow send it: validated here once, with
 * the defaults that fit the bundled data (the Lyon 2024 export: train Jan–Oct, validate on November, hold
 * out December).
 */
/** An ISO UTC instant on the hour, as every pipeline window is given (`2024-12-01T00:00:00Z`). */
export const isoHour = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/, 'an ISO UTC hour such as 2024-12-01T00:00:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date');

export const trainingRequest = z
  .object({
    kind: z.enum(['instant', 'forecast']),
    horizonHours: z.number().int().min(1).max(72).optional(),
    algorithm: z.enum(['random-forest', 'linear', 'persistence', 'boosted-trees']).default('random-forest'),
    params: z.record(z.string(), z.unknown()).default({}),
    locationIds: z.array(z.string().min(1)).min(1).default(['lyon']),
    trainFrom: isoHour.default('2024-01-01T00:00:00Z'),
    validationFrom: isoHour.default('2024-11-01T00:00:00Z'),
    testFrom: isoHour.default('2024-12-01T00:00:00Z'),
    testTo: isoHour.default('2025-01-01T00:00:00Z'),
    approvalTimeout: z
      .string()
      .regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 72h, 30m or 10s')
      .optional(),
    tolerance: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((r) => r.trainFrom < r.validationFrom && r.validationFrom < r.testFrom && r.testFrom < r.testTo, {
    message: 'windows must be in order: trainFrom < validationFrom < testFrom < testTo',
    path: ['testFrom'],
  })
  .refine((r) => r.kind === 'forecast' || r.horizonHours === undefined, {
    message: 'an instant model has no horizon; leave horizonHours out or use kind "forecast"',
    path: ['horizonHours'],
  })
  .transform((r) => ({ ...r, ...(r.kind === 'forecast' ? { horizonHours: r.horizonHours ?? 24 } : {}) }));
export type TrainingRequest = z.output<typeof trainingRequest>;

/**
 * The workflow id of a training request: derived from everything that shapes the model, so the same
 * request joins the run already doing it and a different one (other params, other window) starts anew.
 */
export function trainingWorkflowId(request: TrainingRequest): string {
  const name = modelNameFor(request.kind, request.horizonHours ?? 0);
  const shape = JSON.stringify([
    request.algorithm,
    sortKeys(request.params),
    [...request.locationIds].sort(),
    request.trainFrom,
    request.validationFrom,
    request.testFrom,
    request.testTo,
  ]);
  return `train-${name}-${request.testTo.slice(0, 10)}-${fnv1a(shape)}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}

/** 32-bit FNV-1a as 8 hex digits: short, stable, enough to tell requests apart in an id. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

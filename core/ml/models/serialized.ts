import { z } from 'zod';

import { featureSpec } from '../feature-spec';

import { trainingParams } from './params';
import { treeSchema } from './tree';

/**
 * The JSON artifact of a trained model: what MLflow stores and the API loads. Everything a prediction needs
 * is inside, as plain numbers, so serving never re-runs a library's training code or depends on its internal
 * layout; `formatVersion` changes whenever that layout does.
 */

export const algorithms = ['random-forest', 'boosted-trees', 'linear', 'persistence'] as const;
export type Algorithm = (typeof algorithms)[number];

export const modelFormat = 'aqi-eaqi-model';
export const modelFormatVersion = 1;

const linearPart = z.object({ intercept: z.number(), weights: z.array(z.number()) }).strict();

/** Trees whose outputs are averaged (a forest) or summed onto `base` (boosting). */
const ensemblePart = z
  .object({ aggregation: z.enum(['mean', 'sum']), base: z.number(), trees: z.array(treeSchema).min(1) })
  .strict();

const serializedModelSchema = z
  .object({
    format: z.literal(modelFormat),
    formatVersion: z.literal(modelFormatVersion),
    algorithm: z.enum(algorithms),
    spec: featureSpec,
    params: trainingParams,
    trainedRows: z.number().int().min(0),
    /** A ridge correction on top of the spec's baseline feature (the whole model for 'linear'). */
    linear: linearPart.optional(),
    ensemble: ensemblePart.optional(),
  })
  .strict();
export type SerializedModel = z.infer<typeof serializedModelSchema>;
export type LinearPart = z.infer<typeof linearPart>;
export type EnsemblePart = z.infer<typeof ensemblePart>;

export const serializedModel: z.ZodType<SerializedModel, unknown> = serializedModelSchema;

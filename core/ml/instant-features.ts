import { z } from 'zod';

/**
 * The instant model answers "what is the index now?" from one hour's concentrations alone (the API's request
 * body). Concentrations span orders of magnitude, so they enter as log10(x + 1): a linear model then sees
 * relative changes, and trees are unaffected by the monotone transform.
 */

const concentration = z.number().min(0);

export const instantInput = z
  .object({
    pm2_5: concentration,
    pm10: concentration,
    carbon_monoxide: concentration,
    sulphur_dioxide: concentration,
    uv_index: concentration,
  })
  .strict();
export type InstantInput = z.infer<typeof instantInput>;

/** In the order of the feature vector. */
export const instantVariables = ['pm2_5', 'pm10', 'carbon_monoxide', 'sulphur_dioxide', 'uv_index'] as const;

export const instantFeatureNames: readonly string[] = instantVariables.map((v) => `log10_${v}`);

export function instantFeatures(input: InstantInput): number[] {
  return instantVariables.map((v) => Math.log10(input[v] + 1));
}

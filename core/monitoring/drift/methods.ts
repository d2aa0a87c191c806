import { binnedShares } from './binning';
import { chiSquarePValue } from './chi-square';
import { jensenShannonDistance } from './jensen-shannon';
import { ksTwoSample } from './ks';
import { populationStabilityIndex } from './psi';
import { type Sample, sampleSize, valueCounts } from './sample';
import { normedWasserstein } from './wasserstein';
import { zTestPValue } from './z-test';

/**
 * The stat tests, as Evidently 0.7 registers them (`evidently.legacy.calculations.stattests`): its name,
 * the label its reports show, what the score is, the default threshold and which side of it is drift.
 * p-values drift *below* the threshold and KS alone includes it (`p ≤ 0.05`; chi-square and z use
 * `p < 0.05`); distances drift *at or above* it (`≥ 0.1`). `types` is where Evidently accepts the test
 * when it is asked for by name; its own default choice also runs chi-square and z on numerical columns
 * with few values (`select.ts`).
 */

export const driftMethods = ['ks', 'wasserstein', 'chisquare', 'z', 'jensenshannon', 'psi'] as const;
export type DriftMethod = (typeof driftMethods)[number];
export type ColumnType = 'numerical' | 'categorical';

export interface MethodDefinition {
  label: string;
  score: 'p_value' | 'distance';
  defaultThreshold: number;
  drifted: (score: number, threshold: number) => boolean;
  types: readonly ColumnType[];
  compute: (reference: Sample, current: Sample) => number;
}

const numericalOnly = (name: string, sample: Sample): Float64Array => {
  if (sample.kind !== 'numerical') throw new TypeError(`${name} needs numerical samples`);
  return sample.sorted;
};

const onCounts =
  (test: typeof chiSquarePValue) =>
  (reference: Sample, current: Sample): number =>
    test(valueCounts(reference), sampleSize(reference), valueCounts(current), sampleSize(current));

const onShares =
  (distance: (reference: Float64Array, current: Float64Array) => number) =>
  (reference: Sample, current: Sample): number => {
    const shares = binnedShares(reference, current, sampleSize(reference), sampleSize(current));
    return distance(shares.reference, shares.current);
  };

export const methodDefinitions: Readonly<Record<DriftMethod, MethodDefinition>> = {
  ks: {
    label: 'K-S p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    drifted: (p, threshold) => p <= threshold,
    types: ['numerical'],
    compute: (reference, current) => ksTwoSample(numericalOnly('ks', reference), numericalOnly('ks', current)).pValue,
  },
  wasserstein: {
    label: 'Wasserstein distance (normed)',
    score: 'distance',
    defaultThreshold: 0.1,
    drifted: (distance, threshold) => distance >= threshold,
    types: ['numerical'],
    compute: (reference, current) =>
      normedWasserstein(numericalOnly('wasserstein', reference), numericalOnly('wasserstein', current)),
  },
  chisquare: {
    label: 'chi-square p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    drifted: (p, threshold) => p < threshold,
    types: ['categorical'],
    compute: onCounts(chiSquarePValue),
  },
  z: {
    label: 'Z-test p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    drifted: (p, threshold) => p < threshold,
    types: ['categorical'],
    compute: onCounts(zTestPValue),
  },
  jensenshannon: {
    label: 'Jensen-Shannon distance',
    score: 'distance',
    defaultThreshold: 0.1,
    drifted: (distance, threshold) => distance >= threshold,
    types: ['numerical', 'categorical'],
    compute: onShares(jensenShannonDistance),
  },
  psi: {
    label: 'PSI',
    score: 'distance',
    defaultThreshold: 0.1,
    drifted: (psi, threshold) => psi >= threshold,
    types: ['numerical', 'categorical'],
    compute: onShares(populationStabilityIndex),
  },
};

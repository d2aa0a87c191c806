import { RandomForestRegression } from 'ml-random-forest';

import { AppError } from '../../errors';

import { seededRandom, sampleIndices } from './random';
import { TreeBuilder, type Tree } from './tree';

/**
 * Random forest grown with ml-random-forest, one tree at a time on its own random subsample of rows.
 *
 * Why not one `RandomForestRegression` with `maxSamples`: in ml-random-forest 2.1.0 `maxSamples` keeps the
 * FIRST rows of the training set (the same ones for every tree; on chronological data, the first weeks) and
 * bagging then resamples within them. And ml-cart's split search costs about rows² per node (every candidate
 * threshold re-partitions the node), so a tree on all ~7,000 rows of a year takes tens of seconds. Many
 * trees on small distinct subsamples see more of the data for the same time. Each tree is one
 * `RandomForestRegression` with `nEstimators: 1` and its own seed, so the library still chooses the tree's
 * features (`maxFeatures`) and grows it; its nodes are then copied into the flat `Tree` layout for serving.
 */

export interface RandomForestParams {
  nEstimators: number;
  /** Rows drawn without replacement for each tree. */
  maxSamples: number;
  /** Fraction of the features each tree may split on (chosen per tree by the library). */
  maxFeatures: number;
  /** Resample the tree's rows with replacement as well (classic bagging); off, each tree sees distinct rows. */
  bootstrap: boolean;
  maxDepth: number;
  /** A node with this many rows or fewer becomes a leaf. */
  minNumSamples: number;
}

interface CartNode {
  splitColumn?: unknown;
  splitValue?: unknown;
  left?: unknown;
  right?: unknown;
  distribution?: unknown;
}

const invalidTree = (why: string) =>
  new AppError('RANDOM_FOREST_TREE', `ml-random-forest returned a tree this code cannot read: ${why}`, {
    operational: false,
  });

/** Copies an ml-cart node tree (its columns are positions in `columns`) into the flat layout, pre-order. */
function flattenCart(root: unknown, columns: readonly number[]): Tree {
  const builder = new TreeBuilder();
  const visit = (node: unknown): number => {
    if (typeof node !== 'object' || node === null) throw invalidTree('a node is not an object');
    const { splitColumn, splitValue, left, right, distribution } = node as CartNode;
    if (left !== undefined && right !== undefined) {
      const feature = typeof splitColumn === 'number' ? columns[splitColumn] : undefined;
      if (feature === undefined || typeof splitValue !== 'number') throw invalidTree('a split without column or value');
      const id = builder.leaf(0);
      const leftId = visit(left);
      builder.branch(id, feature, splitValue, leftId, visit(right));
      return id;
    }
    if (typeof distribution !== 'number' || !Number.isFinite(distribution)) throw invalidTree('a leaf without a value');
    return builder.leaf(distribution);
  };
  visit(root);
  return builder.build();
}

/** The first tree of a trained ml-random-forest regression, in the flat layout and the forest's feature indices. */
export function firstTreeOf(forest: RandomForestRegression): Tree {
  const { estimators, indexes } = forest as unknown as { estimators?: { root: unknown }[]; indexes?: number[][] };
  const estimator = estimators?.[0];
  const used = indexes?.[0];
  if (estimator === undefined || used === undefined) throw invalidTree('no trained estimator');
  return flattenCart(estimator.root, used);
}

/** ml-random-forest reads an integer as a count and a number in (0, 1] as a fraction of the columns. */
function libraryMaxFeatures(fraction: number, columns: number): number {
  const count = Math.min(columns, Math.max(1, Math.round(fraction * columns)));
  if (count === columns) return 1.0;
  if (count === 1) return 1.5 / columns; // the integer 1 would mean "all of them"
  return count;
}

export function trainRandomForest(
  x: readonly number[][],
  y: readonly number[],
  params: RandomForestParams,
  seed: number,
  onTree?: (done: number, total: number) => void,
): Tree[] {
  const random = seededRandom(seed);
  const columns = x[0]?.length ?? 0;
  const trees: Tree[] = [];
  for (let t = 0; t < params.nEstimators; t++) {
    const rows = sampleIndices(random, y.length, params.maxSamples);
    const forest = new RandomForestRegression({
      nEstimators: 1,
      maxFeatures: libraryMaxFeatures(params.maxFeatures, columns),
      replacement: false,
      useSampleBagging: params.bootstrap,
      seed: random.nextSeed(),
      treeOptions: { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples },
      noOOB: true,
    });
    forest.train(
      rows.map((i) => [...(x[i] as number[])]),
      rows.map((i) => y[i] as number),
    );
    trees.push(firstTreeOf(forest));
    onTree?.(t + 1, params.nEstimators);
  }
  return trees;
}

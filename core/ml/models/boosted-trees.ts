import { seededRandom, sampleIndices } from './random';
import { predictTree, TreeBuilder, type Tree } from './tree';

/**
 * Gradient-boosted regression trees on histogram bins, written for this project because ml-cart's exact split
 * search (rows² per node) is too slow for hundreds of trees. Each feature is cut into at most `maxBins`
 * quantile bins once; a node's best split is then found from per-bin sums in one pass over its rows. Trees
 * grow leaf-wise (the leaf whose split gains most is split next, up to `numLeaves`), each on a seeded
 * subsample of rows and features, and add `learningRate` × their leaf values to the prediction. The loss is
 * squared error, or Huber (squared near zero, absolute beyond `huberDelta`) so that a few extreme hours do not
 * pull every leaf towards them when the goal is a low mean absolute error.
 */

export interface BoostedTreesParams {
  nEstimators: number;
  learningRate: number;
  numLeaves: number;
  /** Fewest training rows a leaf may hold. */
  minSamplesLeaf: number;
  /** Fraction of rows each tree is grown on. */
  subsample: number;
  /** Fraction of features each tree may split on. */
  featureFraction: number;
  maxBins: number;
  /** L2 penalty on leaf values. */
  l2: number;
  loss: 'squared' | 'huber';
  huberDelta: number;
}

export interface BoostedTrees {
  base: number;
  trees: Tree[];
}

/**
 * Cut points between distinct values, about `maxBins` equal-count bins: bin(x) = number of cuts ≤ x. A cut is
 * placed after the distinct value where the running count crosses the next multiple of n / maxBins, so a
 * heavily repeated value never hides the cuts around it.
 */
function binCuts(values: readonly number[], maxBins: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const step = sorted.length / maxBins;
  const cuts: number[] = [];
  let next = step;
  for (let i = 0; i < sorted.length - 1; i++) {
    const value = sorted[i] as number;
    const following = sorted[i + 1] as number;
    if (following === value || i + 1 < next) continue;
    cuts.push((value + following) / 2);
    next = (Math.floor((i + 1) / step) + 1) * step;
  }
  return cuts.slice(0, maxBins - 1);
}

function binOf(cuts: readonly number[], value: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cuts[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  leftRows: number[];
  rightRows: number[];
}

interface Leaf {
  node: number;
  rows: number[];
  split: Split | undefined;
}

export function trainBoostedTrees(
  x: readonly number[][],
  y: readonly number[],
  params: BoostedTreesParams,
  seed: number,
  onTree?: (done: number, total: number) => void,
): BoostedTrees {
  const n = y.length;
  const d = x[0]?.length ?? 0;
  const random = seededRandom(seed);
  const cuts = Array.from({ length: d }, (_, j) =>
    binCuts(
      x.map((row) => row[j] as number),
      params.maxBins,
    ),
  );
  const bins = cuts.map((c, j) => Uint8Array.from(x, (row) => binOf(c, row[j] as number)));

  const base = n === 0 ? 0 : ([...y].sort((a, b) => a - b)[Math.floor(n / 2)] ?? 0);
  const prediction = new Float64Array(n).fill(base);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n);
  const trees: Tree[] = [];
  const rowsPerTree = Math.max(1, Math.round(params.subsample * n));
  const featuresPerTree = Math.max(1, Math.round(params.featureFraction * d));

  const bestSplit = (rows: readonly number[], features: readonly number[]): Split | undefined => {
    let best: { gain: number; feature: number; bin: number } | undefined;
    let gTotal = 0;
    let hTotal = 0;
    for (const i of rows) {
      gTotal += gradient[i] as number;
      hTotal += hessian[i] as number;
    }
    const parentScore = (gTotal * gTotal) / (hTotal + params.l2);
    for (const j of features) {
      const width = (cuts[j] as number[]).length + 1;
      if (width < 2) continue;
      const g = new Float64Array(width);
      const h = new Float64Array(width);
      const c = new Uint32Array(width);
      const column = bins[j] as Uint8Array;
      for (const i of rows) {
        const b = column[i] as number;
        g[b] = (g[b] as number) + (gradient[i] as number);
        h[b] = (h[b] as number) + (hessian[i] as number);
        c[b] = (c[b] as number) + 1;
      }
      let gLeft = 0;
      let hLeft = 0;
      let cLeft = 0;
      for (let b = 0; b < width - 1; b++) {
        gLeft += g[b] as number;
        hLeft += h[b] as number;
        cLeft += c[b] as number;
        const cRight = rows.length - cLeft;
        if (cLeft < params.minSamplesLeaf) continue;
        if (cRight < params.minSamplesLeaf) break;
        const gRight = gTotal - gLeft;
        const hRight = hTotal - hLeft;
        const gain = (gLeft * gLeft) / (hLeft + params.l2) + (gRight * gRight) / (hRight + params.l2) - parentScore;
        if (gain > 1e-12 && (best === undefined || gain > best.gain)) best = { gain, feature: j, bin: b };
      }
    }
    if (best === undefined) return undefined;
    const column = bins[best.feature] as Uint8Array;
    const leftRows: number[] = [];
    const rightRows: number[] = [];
    for (const i of rows) ((column[i] as number) <= best.bin ? leftRows : rightRows).push(i);
    return { ...best, leftRows, rightRows };
  };

  const leafValue = (rows: readonly number[]): number => {
    let g = 0;
    let h = 0;
    for (const i of rows) {
      g += gradient[i] as number;
      h += hessian[i] as number;
    }
    return (-g / (h + params.l2)) * params.learningRate;
  };

  for (let t = 0; t < params.nEstimators; t++) {
    for (let i = 0; i < n; i++) {
      const residual = (prediction[i] as number) - (y[i] as number);
      // Huber's gradient is the residual clipped to ±delta; its hessian is taken as 1 throughout (a
      // gradient step), which keeps leaf values bounded where the true second derivative vanishes.
      gradient[i] =
        params.loss === 'huber' ? Math.max(-params.huberDelta, Math.min(params.huberDelta, residual)) : residual;
      hessian[i] = 1;
    }
    const rows = sampleIndices(random, n, rowsPerTree);
    const features = sampleIndices(random, d, featuresPerTree);
    const builder = new TreeBuilder();
    const root: Leaf = { node: builder.leaf(leafValue(rows)), rows, split: bestSplit(rows, features) };
    const leaves: Leaf[] = [root];
    for (let count = 1; count < params.numLeaves; count++) {
      let pick: Leaf | undefined;
      for (const leaf of leaves)
        if (leaf.split && (pick?.split === undefined || leaf.split.gain > pick.split.gain)) pick = leaf;
      if (pick?.split === undefined) break;
      const { feature, bin, leftRows, rightRows } = pick.split;
      // Rows in bins 0..bin go left, i.e. x < the cut after bin `bin`.
      const left: Leaf = { node: builder.leaf(leafValue(leftRows)), rows: leftRows, split: undefined };
      const right: Leaf = { node: builder.leaf(leafValue(rightRows)), rows: rightRows, split: undefined };
      builder.branch(pick.node, feature, (cuts[feature] as number[])[bin] as number, left.node, right.node);
      left.split = bestSplit(leftRows, features);
      right.split = bestSplit(rightRows, features);
      leaves.splice(leaves.indexOf(pick), 1, left, right);
    }
    const tree = builder.build();
    // Every row moves by its leaf, including those left out of this tree's subsample.
    for (let i = 0; i < n; i++) prediction[i] = (prediction[i] as number) + predictTree(tree, x[i] as number[]);
    trees.push(tree);
    onTree?.(t + 1, params.nEstimators);
  }
  return { base, trees };
}

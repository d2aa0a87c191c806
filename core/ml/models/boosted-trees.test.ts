import { trainBoostedTrees, type BoostedTreesParams } from './boosted-trees';
import { predictTree } from './tree';

const x = Array.from({ length: 400 }, (_, i) => [i % 20, (i * 7) % 11]);
const y = x.map(([a, b]) => ((a as number) >= 10 ? 30 : 5) + (b as number));
const params: BoostedTreesParams = {
  nEstimators: 100,
  learningRate: 0.2,
  numLeaves: 8,
  minSamplesLeaf: 5,
  subsample: 0.8,
  featureFraction: 1,
  maxBins: 32,
  l2: 1,
  loss: 'squared',
  huberDelta: 5,
};

const predict = (model: ReturnType<typeof trainBoostedTrees>, row: number[]) =>
  model.trees.reduce((s, t) => s + predictTree(t, row), model.base);

describe('trainBoostedTrees', () => {
  it('when the target is a step plus a slope, then boosting fits it closely', () => {
    const model = trainBoostedTrees(x, y, params, 1);
    const mae = x.reduce((s, row, i) => s + Math.abs(predict(model, row) - (y[i] as number)), 0) / x.length;

    expect(mae).toBeLessThan(0.5);
    expect(model.trees).toHaveLength(100);
  });

  it('when the loss is Huber, then one huge outlier moves the fit far less than under squared error', () => {
    const yOutlier = y.map((v, i) => (i === 3 ? v + 10_000 : v));
    const row = x[3] as number[];
    const shift = (loss: BoostedTreesParams['loss']) =>
      predict(trainBoostedTrees(x, yOutlier, { ...params, loss }, 1), row) -
      predict(trainBoostedTrees(x, y, { ...params, loss }, 1), row);

    expect(Math.abs(shift('huber'))).toBeLessThan(Math.abs(shift('squared')) / 10);
  });

  it('when trained twice with one seed, then the model is identical; no leaf is smaller than allowed', () => {
    const a = trainBoostedTrees(x, y, { ...params, nEstimators: 10, minSamplesLeaf: 50 }, 3);

    expect(trainBoostedTrees(x, y, { ...params, nEstimators: 10, minSamplesLeaf: 50 }, 3)).toEqual(a);
    // 320 rows per tree and ≥ 50 per leaf: at most 6 leaves, i.e. 11 nodes.
    for (const tree of a.trees) expect(tree.feature.length).toBeLessThanOrEqual(11);
  });
});

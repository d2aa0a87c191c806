import { RandomForestRegression } from 'ml-random-forest';

import { firstTreeOf, trainRandomForest } from './random-forest';
import { predictTree } from './tree';

const x = Array.from({ length: 200 }, (_, i) => [i % 10, (i * 7) % 13, (i * 3) % 5, i % 2]);
const y = x.map(([a, b, c]) => 2 * (a as number) + ((b as number) > 6 ? 10 : 0) - (c as number));
const params = { nEstimators: 8, maxSamples: 120, maxFeatures: 1, bootstrap: false, maxDepth: 30, minNumSamples: 3 };

describe('random forest on ml-random-forest', () => {
  it('when a library tree is copied into the flat layout, then it predicts exactly what the library predicts', () => {
    const forest = new RandomForestRegression({ nEstimators: 1, maxFeatures: 0.5, seed: 3, noOOB: true });
    forest.train(x, y);
    const tree = firstTreeOf(forest);

    expect(x.map((row) => predictTree(tree, row))).toEqual(forest.predict(x));
  });

  it('when trained twice with one seed, then the trees are identical, and another seed changes them', () => {
    const a = trainRandomForest(x, y, params, 7);

    expect(trainRandomForest(x, y, params, 7)).toEqual(a);
    expect(trainRandomForest(x, y, params, 8)).not.toEqual(a);
  });

  it('when trained, then progress is reported once per tree and the forest fits its training data', () => {
    const progress: [number, number][] = [];
    const trees = trainRandomForest(x, y, params, 7, (done, total) => progress.push([done, total]));
    const predict = (row: number[]) => trees.reduce((s, t) => s + predictTree(t, row), 0) / trees.length;
    const mae = x.reduce((s, row, i) => s + Math.abs(predict(row) - (y[i] as number)), 0) / x.length;

    expect(progress).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, 8]));
    expect(mae).toBeLessThan(1.5);
  });

  it('when maxFeatures is a fraction, then each tree splits on that many of the features at most', () => {
    const trees = trainRandomForest(x, y, { ...params, maxFeatures: 0.5 }, 7);

    for (const tree of trees) expect(new Set(tree.feature.filter((f) => f >= 0)).size).toBeLessThanOrEqual(2);
  });
});

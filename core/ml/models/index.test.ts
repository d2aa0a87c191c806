import { AppError } from '../../errors';
import { buildExamples, featureSpecFor, type Examples } from '../features';
import { syntheticSeries } from '../synthetic-series';

import { algorithms, loadModel, trainingParams, trainModel, type Algorithm, type SerializedModel } from '.';

const series = [syntheticSeries('lyon', 24 * 20, { seed: 3 }), syntheticSeries('paris', 24 * 20, { seed: 4 })];
const instant = buildExamples(series, featureSpecFor('instant', 0));
const forecast = buildExamples(series, featureSpecFor('forecast', 6));
const params = trainingParams.parse({
  seed: 5,
  randomForest: { nEstimators: 5, maxSamples: 200 },
  boostedTrees: { nEstimators: 20, minSamplesLeaf: 10 },
});

const roundTrip = (model: { toJSON(): SerializedModel }) => loadModel(JSON.parse(JSON.stringify(model.toJSON())));

describe('trainingParams', () => {
  it('when parsed from nothing, then every default is filled and a typo is refused', () => {
    const defaults = trainingParams.parse({});

    expect(defaults).toMatchObject({ seed: 42, randomForest: { nEstimators: 40 }, boostedTrees: { nEstimators: 300 } });
    expect(trainingParams.safeParse({ randomForest: { nEstimator: 10 } }).success).toBe(false);
    expect(trainingParams.safeParse({ randomForest: { maxFeatures: 0 } }).success).toBe(false);
  });
});

describe.each<[Algorithm, Examples]>([
  ['random-forest', instant],
  ['random-forest', forecast],
  ['boosted-trees', forecast],
  ['linear', instant],
  ['persistence', forecast],
])('trainModel %s', (algorithm, examples) => {
  it('when trained twice on the same examples and params, then the JSON is identical', () => {
    const a = JSON.stringify(trainModel(algorithm, examples, params).toJSON());

    expect(JSON.stringify(trainModel(algorithm, examples, params).toJSON())).toBe(a);
  });

  it('when serialized and loaded again, then it predicts exactly the same values', () => {
    const model = trainModel(algorithm, examples, params);
    const loaded = roundTrip(model);

    expect(loaded.predict(examples.x)).toEqual(model.predict(examples.x));
    expect(loaded.spec).toEqual(model.spec);
    expect(loaded.algorithm).toBe(algorithm);
  });
});

describe('trainModel', () => {
  it('when the seed changes, then a forest changes', () => {
    const a = trainModel('random-forest', instant, params).toJSON();
    const b = trainModel('random-forest', instant, { ...params, seed: 6 }).toJSON();

    expect(b.ensemble).not.toEqual(a.ensemble);
  });

  it('when trees are trained, then progress is reported for each of them', () => {
    const progress: [number, number][] = [];
    trainModel('random-forest', instant, params, (done, total) => progress.push([done, total]));

    expect(progress).toEqual([1, 2, 3, 4, 5].map((done) => [done, 5]));
  });

  it('when a forecast model is trained, then it learns a change from the baseline and beats persistence in-sample', () => {
    const model = trainModel('boosted-trees', forecast, params);
    const mae = (p: number[]) => p.reduce((s, v, i) => s + Math.abs(v - (forecast.y[i] as number)), 0) / p.length;

    expect(mae(model.predict(forecast.x))).toBeLessThan(mae(forecast.persistence));
  });

  it('when persistence serves a forecast, then it returns the index at prediction time, from the features alone', () => {
    const model = trainModel('persistence', forecast, params);

    expect(model.predict(forecast.x)).toEqual(forecast.persistence);
    expect(model.predict(forecast.x.slice(0, 2), [1, 2])).toEqual([1, 2]);
    expect(() => trainModel('persistence', instant, params).predict(instant.x)).toThrow(AppError);
  });

  it('when the examples carry no spec or rows are malformed, then training and prediction refuse them', () => {
    const { spec: _spec, ...bare } = instant;
    const model = trainModel('linear', instant, params);

    expect(() => trainModel('linear', bare, params)).toThrow(/buildExamples/);
    expect(() => trainModel('linear', { ...instant, y: [], x: [] }, params)).toThrow(AppError);
    expect(() => model.predict([[1, 2]])).toThrow(/5 finite features/);
    expect(() => model.predict([[1, 2, 3, 4, NaN]])).toThrow(AppError);
  });

  it('covers every algorithm it names', () => {
    expect([...algorithms].sort()).toEqual(['boosted-trees', 'linear', 'persistence', 'random-forest']);
  });
});

describe('loadModel', () => {
  const forest = trainModel('random-forest', forecast, params).toJSON();
  const invalid = (json: unknown) => {
    try {
      loadModel(json);
    } catch (err) {
      return err instanceof AppError ? err.code : 'not an AppError';
    }
    return 'loaded';
  };

  it.each<[string, unknown]>([
    ['not an object', 'model'],
    ['another format version', { ...forest, formatVersion: 2 }],
    ['an unknown algorithm', { ...forest, algorithm: 'svm' }],
    ['a forest without trees', { ...forest, ensemble: undefined }],
    [
      'a tree splitting on a feature the spec lacks',
      {
        ...forest,
        ensemble: {
          ...forest.ensemble,
          trees: [
            { feature: [99, -1, -1], threshold: [0, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0, 1, 2] },
          ],
        },
      },
    ],
    ['linear weights of the wrong length', { ...forest, linear: { intercept: 0, weights: [1] } }],
    ['a spec this code does not compute', { ...forest, spec: { ...forest.spec, names: forest.spec.names.slice(1) } }],
    ['a non-finite number', JSON.parse(JSON.stringify(forest).replace('"base":0', '"base":"NaN"'))],
  ])('when the artifact has %s, then it is refused as INVALID_MODEL', (_, json) => {
    expect(invalid(json)).toBe('INVALID_MODEL');
  });
});

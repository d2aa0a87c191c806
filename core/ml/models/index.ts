import { AppError, describeError } from '../../errors';
import { type Examples } from '../examples';
import { type FeatureSpec } from '../feature-spec';

import { trainBoostedTrees } from './boosted-trees';
import { predictLinear, trainLinear, type LinearWeights } from './linear';
import { assembleModel, type Model } from './model';
import { resolveParams, trainingParams, type TrainingParams } from './params';
import { trainRandomForest } from './random-forest';
import { serializedModel, type Algorithm, type SerializedModel } from './serialized';

/**
 * Training and loading. Every learner fits the target minus the spec's baseline feature; the tree learners
 * first take a ridge correction off that residual when `linearBase` is on (see model.ts for why).
 * Deterministic: the same examples and params give the same JSON, bit for bit.
 */

export { algorithms, serializedModel, type Algorithm, type SerializedModel } from './serialized';
export { resolveParams, trainingParams, type ResolvedParams, type TrainingParams } from './params';
export { type Model } from './model';

function specOf(train: Examples): FeatureSpec {
  if (train.spec === undefined) {
    throw new AppError('NO_FEATURE_SPEC', 'training examples must come from buildExamples (they carry the spec)', {
      operational: false,
    });
  }
  return train.spec;
}

function checkExamples(train: Examples, spec: FeatureSpec): void {
  const width = spec.names.length;
  if (train.y.length === 0) throw new AppError('NO_EXAMPLES', 'no training examples', { httpStatus: 422 });
  if (train.x.length !== train.y.length || train.x.some((row) => row.length !== width)) {
    throw new AppError('INVALID_FEATURES', `every training row needs ${width} features and a target`, {
      httpStatus: 422,
    });
  }
}

export function trainModel(
  algorithm: Algorithm,
  train: Examples,
  params: TrainingParams,
  onProgress?: (done: number, total: number) => void,
): Model {
  const spec = specOf(train);
  checkExamples(train, spec);
  const valid = resolveParams(trainingParams.parse(params), spec);
  const parts = { algorithm, spec, params: valid, trainedRows: train.y.length };
  if (algorithm === 'persistence') {
    onProgress?.(1, 1);
    return assembleModel(parts);
  }

  const baselineIndex = spec.baselineFeature === undefined ? -1 : spec.names.indexOf(spec.baselineFeature);
  let residual = train.y.map((y, i) =>
    baselineIndex >= 0 ? y - ((train.x[i] as number[])[baselineIndex] as number) : y,
  );
  const withLinear =
    algorithm === 'linear' ||
    (algorithm === 'random-forest' && valid.randomForest.linearBase) ||
    (algorithm === 'boosted-trees' && valid.boostedTrees.linearBase);
  let linear: LinearWeights | undefined;
  if (withLinear) {
    linear = trainLinear(train.x, residual, valid.linear);
    const fitted = linear;
    residual = residual.map((r, i) => r - predictLinear(fitted, train.x[i] as number[]));
  }

  switch (algorithm) {
    case 'linear':
      onProgress?.(1, 1);
      return assembleModel({ ...parts, linear });
    case 'random-forest': {
      const trees = trainRandomForest(train.x, residual, valid.randomForest, valid.seed, onProgress);
      return assembleModel({ ...parts, linear, ensemble: { aggregation: 'mean', base: 0, trees } });
    }
    case 'boosted-trees': {
      const { base, trees } = trainBoostedTrees(train.x, residual, valid.boostedTrees, valid.seed, onProgress);
      return assembleModel({ ...parts, linear, ensemble: { aggregation: 'sum', base, trees } });
    }
  }
}

const invalidModel = (message: string, cause?: unknown) =>
  new AppError('INVALID_MODEL', message, { httpStatus: 422, ...(cause === undefined ? {} : { cause }) });

/** Rebuilds a model from its JSON, checking that its parts fit its algorithm and its spec. */
export function loadModel(json: unknown): Model {
  const parsed = serializedModel.safeParse(json);
  if (!parsed.success) throw invalidModel(`not a model artifact: ${parsed.error.message}`, parsed.error);
  const model: SerializedModel = parsed.data;
  const width = model.spec.names.length;
  const needsEnsemble = model.algorithm === 'random-forest' || model.algorithm === 'boosted-trees';
  if (needsEnsemble !== (model.ensemble !== undefined)) {
    throw invalidModel(`a ${model.algorithm} model ${needsEnsemble ? 'needs' : 'cannot have'} trees`);
  }
  if (model.algorithm === 'linear' && model.linear === undefined) throw invalidModel('a linear model needs weights');
  if (model.algorithm === 'persistence' && model.linear !== undefined) throw invalidModel('persistence has no weights');
  if (model.linear !== undefined && model.linear.weights.length !== width) {
    throw invalidModel(`${model.linear.weights.length} linear weights for ${width} features`);
  }
  if (model.ensemble?.trees.some((tree) => tree.feature.some((f) => f >= width))) {
    throw invalidModel(`a tree splits on a feature beyond the spec's ${width}`);
  }
  try {
    return assembleModel(model);
  } catch (err) {
    throw invalidModel(`the model's feature spec is not served by this code: ${describeError(err)}`, err);
  }
}

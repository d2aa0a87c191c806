import { AppError } from '../../errors';
import { assertSupportedSpec, type FeatureSpec } from '../feature-spec';

import { predictLinear } from './linear';
import { type TrainingParams } from './params';
import {
  type Algorithm,
  type EnsemblePart,
  type LinearPart,
  type SerializedModel,
  modelFormat,
  modelFormatVersion,
} from './serialized';
import { predictTree } from './tree';

/**
 * A trained model: prediction = baseline + linear correction + trees, each part optional.
 * - The baseline is the spec's `baselineFeature` (for forecasts, the index implied by the known part of the
 *   target's PM window); without one it is 0 and the parts predict the level.
 * - The ridge correction (the whole model for 'linear'; for tree learners, `linearBase`) extrapolates: on Lyon
 *   2024, December's episodes exceed anything in January–October, and trees alone cannot predict past the
 *   largest value they were trained on.
 * - The trees (a forest's mean or boosting's sum) model what is left: non-linear effects, thresholds, the
 *   hours when a pollutant missing from the readings leads the index.
 * Persistence has no parts: it returns the index at prediction time.
 */

export interface Model {
  algorithm: Algorithm;
  spec: FeatureSpec;
  params: TrainingParams;
  predict(x: readonly number[][], persistence?: readonly number[]): number[];
  toJSON(): SerializedModel;
}

export interface ModelParts {
  algorithm: Algorithm;
  spec: FeatureSpec;
  params: TrainingParams;
  trainedRows: number;
  linear?: LinearPart;
  ensemble?: EnsemblePart;
}

const persistenceFeature = 'european_aqi_now';

function ensembleOutput(ensemble: EnsemblePart, row: readonly number[]): number {
  let sum = 0;
  for (const tree of ensemble.trees) sum += predictTree(tree, row);
  return ensemble.base + (ensemble.aggregation === 'mean' ? sum / ensemble.trees.length : sum);
}

export function assembleModel(parts: ModelParts): Model {
  const { algorithm, spec, params, linear, ensemble } = parts;
  assertSupportedSpec(spec);
  const width = spec.names.length;
  const baselineIndex = spec.baselineFeature === undefined ? -1 : spec.names.indexOf(spec.baselineFeature);
  const persistenceIndex = spec.names.indexOf(persistenceFeature);

  const predictRow = (row: readonly number[]): number => {
    let value = baselineIndex >= 0 ? (row[baselineIndex] as number) : 0;
    if (linear !== undefined) value += predictLinear(linear, row);
    if (ensemble !== undefined) value += ensembleOutput(ensemble, row);
    return value;
  };

  return {
    algorithm,
    spec,
    params,
    predict(x, persistence) {
      x.forEach((row, i) => {
        if (row.length !== width || row.some((v) => !Number.isFinite(v))) {
          throw new AppError('INVALID_FEATURES', `row ${i}: expected ${width} finite features (${spec.version})`, {
            httpStatus: 400,
          });
        }
      });
      if (algorithm !== 'persistence') return x.map(predictRow);
      if (persistence !== undefined) {
        if (persistence.length !== x.length) {
          throw new AppError('INVALID_FEATURES', `${persistence.length} persistence values for ${x.length} rows`);
        }
        return [...persistence];
      }
      if (persistenceIndex < 0) {
        throw new AppError('PERSISTENCE_NEEDS_INDEX', 'persistence on an instant spec needs the current index', {
          httpStatus: 400,
        });
      }
      return x.map((row) => row[persistenceIndex] as number);
    },
    toJSON() {
      return {
        format: modelFormat,
        formatVersion: modelFormatVersion,
        algorithm,
        spec,
        params,
        trainedRows: parts.trainedRows,
        ...(linear === undefined ? {} : { linear }),
        ...(ensemble === undefined ? {} : { ensemble }),
      };
    },
  };
}

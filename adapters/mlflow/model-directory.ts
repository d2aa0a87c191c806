import type { FeatureSpec } from '../../core/ml/feature-spec';

import { mlmodelFile } from './mlmodel';
import { modelFile } from './model-artifact';
import { pyfuncFiles, pyfuncInputNames, pythonFunctionFlavor, type ModelDirectoryFile } from './pyfunc';

export type { ModelDirectoryFile } from './pyfunc';

/**
 * Everything a training run logs under `model/`, paths relative to that directory: the model JSON the
 * platform serves, its feature spec, the Python scorer and environment of the `python_function` flavor, and
 * the MLmodel file naming both flavors, with the signature's inputs as a pyfunc client gives them
 * (`pyfuncInputNames`). MLmodel comes last, so a directory that has one is complete.
 */
export function modelDirectoryFiles(input: {
  runId: string;
  artifactPath: string;
  createdAt: Date;
  modelJson: string;
  spec: FeatureSpec;
}): ModelDirectoryFile[] {
  const { spec } = input;
  const mlmodel = mlmodelFile({
    runId: input.runId,
    artifactPath: input.artifactPath,
    createdAt: input.createdAt,
    modelFile,
    inputs: pyfuncInputNames(spec).map((name) => ({ name, type: 'double' as const })),
    output: { name: spec.target.variable, type: 'double' },
    pythonFunction: pythonFunctionFlavor,
  });
  return [
    { path: modelFile, content: input.modelJson, contentType: 'application/json' },
    { path: 'feature-spec.json', content: JSON.stringify(spec, null, 2), contentType: 'application/json' },
    ...pyfuncFiles(),
    { path: 'MLmodel', content: mlmodel, contentType: 'text/yaml' },
  ];
}

import { readFileSync } from 'node:fs';
import path from 'node:path';

import { stringify } from 'yaml';

import { AppError } from '../../core/errors';
import { assertSupportedSpec, type FeatureSpec } from '../../core/ml/feature-spec';
import { instantVariables } from '../../core/ml/instant-features';

import type { PythonFunctionFlavor } from './mlmodel';

/**
 * MLflow's `python_function` flavor for the platform's models: a pure-Python scorer (numpy, pandas) logged in
 * the model directory beside `model.json`, and the environment files `mlflow models serve` and `spark_udf`
 * build an environment from. Then `mlflow.pyfunc.load_model("models:/aqi-eaqi-instant@champion")` works in
 * any Python with MLflow and returns what the API serves for the same rows: the same features, model
 * arithmetic and `servedIndex` floor, bit for bit (test/integration/pyfunc-model.test.ts).
 */

/** The pins of stack/python/mlflow-requirements.txt (a unit test keeps them equal): what the stack runs. */
export const pyfuncRequirements = { mlflow: '3.17.2', numpy: '2.4.6', pandas: '3.1.1' } as const;

/** The oldest Python the pinned numpy and pandas install on. */
export const pyfuncPythonVersion = '3.11';

export const pyfuncLoaderModule = 'aqi_pyfunc';

/** The scorer's source in this repository (the Docker image copies it beside the compiled code). */
export const pyfuncLoaderSource = path.join(__dirname, 'python', `${pyfuncLoaderModule}.py`);

const codeDir = 'code';
const condaFile = 'conda.yaml';
const pythonEnvFile = 'python_env.yaml';
const requirementsFile = 'requirements.txt';

export const pythonFunctionFlavor: PythonFunctionFlavor = {
  loaderModule: pyfuncLoaderModule,
  code: codeDir,
  env: { conda: condaFile, virtualenv: pythonEnvFile },
  pythonVersion: pyfuncPythonVersion,
};

/**
 * The columns a pyfunc client gives, which the MLmodel signature names. An instant model takes what
 * `POST /predict` takes, the concentrations of `instantVariables`, and the scorer computes the features from
 * them as `instantFeatures` does (its `INSTANT_INPUTS`, keyed on the spec version, which is why the spec
 * must be the one this code computes). A forecast model takes its feature columns: the API builds them from
 * stored history, which a pyfunc client has no access to through the model.
 */
export function pyfuncInputNames(spec: FeatureSpec): readonly string[] {
  if (spec.kind === 'forecast') return spec.names;
  assertSupportedSpec(spec);
  return instantVariables;
}

/** A file of a model directory: its path relative to the MLmodel file, its text and its content type. */
export interface ModelDirectoryFile {
  path: string;
  content: string;
  contentType: string;
}

function loaderSource(): string {
  try {
    return readFileSync(pyfuncLoaderSource, 'utf8');
  } catch (err) {
    throw new AppError('PYFUNC_LOADER_MISSING', `the python_function scorer is not at ${pyfuncLoaderSource}`, {
      operational: false,
      cause: err,
    });
  }
}

/** The scorer and the environment files, laid out as `pythonFunctionFlavor` says. */
export function pyfuncFiles(): ModelDirectoryFile[] {
  const pins = Object.entries(pyfuncRequirements).map(([name, version]) => `${name}==${version}`);
  const yaml = (value: unknown) => stringify(value, { version: '1.1', lineWidth: 0 });
  return [
    {
      path: `${codeDir}/${pyfuncLoaderModule}.py`,
      content: loaderSource(),
      contentType: 'text/x-python',
    },
    { path: requirementsFile, content: `${pins.join('\n')}\n`, contentType: 'text/plain' },
    {
      path: pythonEnvFile,
      content: yaml({
        python: pyfuncPythonVersion,
        build_dependencies: ['pip'],
        dependencies: [`-r ${requirementsFile}`],
      }),
      contentType: 'text/yaml',
    },
    {
      path: condaFile,
      content: yaml({
        name: 'mlflow-env',
        channels: ['conda-forge'],
        dependencies: [`python=${pyfuncPythonVersion}`, 'pip', { pip: pins }],
      }),
      contentType: 'text/yaml',
    },
  ];
}

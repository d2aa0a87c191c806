import { createHash } from 'node:crypto';

import { stringify } from 'yaml';

/**
 * The `MLmodel` file that makes a directory of run artifacts an MLflow model: where it was logged from, the
 * flavors telling a loader how to read it, and the signature the registry UI shows and pyfunc enforces.
 * MLflow stores the signature's column lists as JSON strings inside the YAML, written with Python's
 * `json.dumps` spacing. MLflow reads the file with PyYAML (YAML 1.1), so it is written with the YAML 1.1
 * schema: a string that 1.1 would take for something else (`yes`, `3.11`, a timestamp) is quoted.
 */

export interface MlmodelColumn {
  name: string;
  type: 'double';
}

/** MLflow's generic `python_function` flavor in its `loader_module` form; paths relative to the MLmodel file. */
export interface PythonFunctionFlavor {
  /** A module on `code`, whose `_load_pyfunc(<model dir>/<model file>)` returns an object with `predict`. */
  loaderModule: string;
  /** The directory MLflow puts on `sys.path` before importing the module. */
  code: string;
  /** The environment files `mlflow models serve` and `spark_udf` build an environment from. */
  env: { conda: string; virtualenv: string };
  /** The Python the environment targets (MLflow warns when the loading Python's major.minor differs). */
  pythonVersion: string;
}

export interface MlmodelInput {
  runId: string;
  artifactPath: string;
  createdAt: Date;
  /** The model file, relative to the MLmodel file. */
  modelFile: string;
  inputs: MlmodelColumn[];
  output: MlmodelColumn;
  /** The platform's own flavor's name; `aqi_platform` by default. */
  flavorName?: string;
  /** How `modelFile` is encoded; `json` by default. */
  format?: string;
  /** Also a `python_function` flavor scoring `modelFile`, so any MLflow client can load the model. */
  pythonFunction?: PythonFunctionFlavor;
}

export function mlmodelFile(input: MlmodelInput): string {
  const flavors: Record<string, Record<string, unknown>> = {
    [input.flavorName ?? 'aqi_platform']: { model_file: input.modelFile, format: input.format ?? 'json' },
  };
  const pyfunc = input.pythonFunction;
  if (pyfunc !== undefined) {
    flavors.python_function = {
      loader_module: pyfunc.loaderModule,
      code: pyfunc.code,
      data: input.modelFile,
      env: { conda: pyfunc.env.conda, virtualenv: pyfunc.env.virtualenv },
      python_version: pyfunc.pythonVersion,
    };
  }
  const document = {
    artifact_path: input.artifactPath,
    flavors,
    model_uuid: modelUuid(input.runId, input.artifactPath),
    run_id: input.runId,
    signature: { inputs: columnSpecs(input.inputs), outputs: columnSpecs([input.output]) },
    utc_time_created: pythonUtcTime(input.createdAt),
  };
  // No folding: the signature's JSON strings stay on one line each, as MLflow writes them.
  return stringify(document, { version: '1.1', lineWidth: 0, singleQuote: true });
}

/** MLflow writes a random uuid4 hex; one derived from the run and path keeps a re-logged model identical. */
function modelUuid(runId: string, artifactPath: string): string {
  return createHash('sha256').update(`${runId}\n${artifactPath}`).digest('hex').slice(0, 32);
}

function columnSpecs(columns: MlmodelColumn[]): string {
  const spec = (c: MlmodelColumn) =>
    `{"type": ${JSON.stringify(c.type)}, "name": ${JSON.stringify(c.name)}, "required": true}`;
  return `[${columns.map(spec).join(', ')}]`;
}

/** Python's `str(datetime)` of a UTC time: `2025-01-02 03:04:05.678000`. */
function pythonUtcTime(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace('Z', '')}000`;
}

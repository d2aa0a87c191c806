import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { repoRoot } from '../../config/runtime';
import { featureSpecFor, type FeatureSpec } from '../../core/ml/feature-spec';
import { instantVariables } from '../../core/ml/instant-features';

import { modelDirectoryFiles } from './model-directory';
import {
  pyfuncInputNames,
  pyfuncLoaderModule,
  pyfuncPythonVersion,
  pyfuncRequirements,
  pythonFunctionFlavor,
} from './pyfunc';

const stackPins = Object.fromEntries(
  readFileSync(path.join(repoRoot, 'stack', 'python', 'mlflow-requirements.txt'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Za-z0-9_.-]+)==(\S+)/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => [match[1]?.toLowerCase(), match[2]]),
) as Record<string, string>;

const directory = (spec: FeatureSpec) =>
  modelDirectoryFiles({
    runId: 'r1',
    artifactPath: 'model',
    createdAt: new Date(Date.UTC(2025, 0, 1)),
    modelJson: '{"format":"aqi-eaqi-model"}',
    spec,
  });
const files = directory(featureSpecFor('instant', 0));
const file = (name: string) => files.find((f) => f.path === name)?.content ?? '';

/** The signature's input columns as MLflow reads them (a JSON string inside the YAML). */
function signatureInputs(spec: FeatureSpec): { name: string; type: string }[] {
  const mlmodel = directory(spec).find((f) => f.path === 'MLmodel')?.content ?? '';
  const { signature } = parse(mlmodel, { version: '1.1' }) as { signature: { inputs: string } };
  return JSON.parse(signature.inputs) as { name: string; type: string }[];
}

describe('the python_function flavor of a logged model', () => {
  it('when its requirements are pinned, then they are the versions the stack runs MLflow with', () => {
    expect(Object.keys(stackPins).length).toBeGreaterThan(50);
    for (const [name, version] of Object.entries(pyfuncRequirements)) expect(stackPins[name]).toBe(version);
    expect(file('requirements.txt')).toBe('mlflow==3.17.2\nnumpy==2.4.6\npandas==3.1.1\n');
  });

  it('when the environment files are read, then both name the Python and the pinned requirements', () => {
    expect(parse(file('python_env.yaml'), { version: '1.1' })).toEqual({
      python: pyfuncPythonVersion,
      build_dependencies: ['pip'],
      dependencies: ['-r requirements.txt'],
    });
    expect(parse(file('conda.yaml'), { version: '1.1' })).toEqual({
      name: 'mlflow-env',
      channels: ['conda-forge'],
      dependencies: [
        `python=${pyfuncPythonVersion}`,
        'pip',
        { pip: ['mlflow==3.17.2', 'numpy==2.4.6', 'pandas==3.1.1'] },
      ],
    });
  });

  it('when the model directory is laid out, then every path its MLmodel names is in it, and MLmodel comes last', () => {
    const mlmodel = parse(file('MLmodel'), { version: '1.1' }) as {
      flavors: { python_function: { loader_module: string; code: string; data: string; env: Record<string, string> } };
    };
    const pyfunc = mlmodel.flavors.python_function;
    const paths = files.map((f) => f.path);

    expect(paths.at(-1)).toBe('MLmodel');
    expect(paths).toEqual(
      expect.arrayContaining([
        pyfunc.data,
        `${pyfunc.code}/${pyfunc.loader_module}.py`,
        ...Object.values(pyfunc.env),
        'feature-spec.json',
      ]),
    );
    expect(pyfunc.loader_module).toBe(pythonFunctionFlavor.loaderModule);
    expect(file('model.json')).toBe('{"format":"aqi-eaqi-model"}');
  });

  it("when the loader is logged, then it is the repository's scorer with the entry point MLflow calls", () => {
    const loader = file(`code/${pyfuncLoaderModule}.py`);

    expect(loader).toMatch(/^def _load_pyfunc\(data_path: str\) -> AqiModel:$/m);
    expect(loader).toContain('MODEL_FORMAT = "aqi-eaqi-model"');
  });

  it("when an instant model is logged, then its signature takes POST /predict's columns, not the features", () => {
    const inputs = signatureInputs(featureSpecFor('instant', 0));

    expect(inputs.map((c) => c.name)).toEqual(['pm2_5', 'pm10', 'carbon_monoxide', 'sulphur_dioxide', 'uv_index']);
    expect(inputs.every((c) => c.type === 'double')).toBe(true);
  });

  it('when a forecast model is logged, then its signature takes the feature columns, built from stored history', () => {
    const spec = featureSpecFor('forecast', 24);

    expect(signatureInputs(spec).map((c) => c.name)).toEqual(spec.names);
    expect(pyfuncInputNames(spec)).toEqual(spec.names);
  });

  it('when an instant spec is not the one this code computes, then no signature is written for it', () => {
    const spec = { ...featureSpecFor('instant', 0), version: 'instant-v0' };

    expect(() => pyfuncInputNames(spec)).toThrow(/instant-v0/);
  });

  it("when the scorer maps an instant spec to request columns, then it is this code's version, columns and features", () => {
    const spec = featureSpecFor('instant', 0);
    const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
    const loader = file(`code/${pyfuncLoaderModule}.py`);

    expect(loader).toContain(`    "${spec.version}": InstantInputs(\n`);
    expect(loader).toContain(`        columns=(${quoted(instantVariables)}),\n`);
    expect(loader).toContain(`        names=(${quoted(spec.names)}),\n`);
    expect(loader).toContain('        features=lambda x: js_log10(x + 1.0),\n');
  });
});

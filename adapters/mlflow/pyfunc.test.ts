import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { repoRoot } from '../../config/runtime';
import { featureSpecFor } from '../../core/ml/feature-spec';

import { modelDirectoryFiles } from './model-directory';
import { pyfuncLoaderModule, pyfuncPythonVersion, pyfuncRequirements, pythonFunctionFlavor } from './pyfunc';

const stackPins = Object.fromEntries(
  readFileSync(path.join(repoRoot, 'stack', 'python', 'mlflow-requirements.txt'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Za-z0-9_.-]+)==(\S+)/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => [match[1]?.toLowerCase(), match[2]]),
) as Record<string, string>;

const files = modelDirectoryFiles({
  runId: 'r1',
  artifactPath: 'model',
  createdAt: new Date(Date.UTC(2025, 0, 1)),
  modelJson: '{"format":"aqi-eaqi-model"}',
  spec: featureSpecFor('instant', 0),
});
const file = (name: string) => files.find((f) => f.path === name)?.content ?? '';

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
});

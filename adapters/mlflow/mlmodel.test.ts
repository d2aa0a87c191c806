import { parse } from 'yaml';

import { mlmodelFile } from './mlmodel';

const input = {
  runId: '1e5a0c3f9b2d4e6f8a7b6c5d4e3f2a1b',
  artifactPath: 'model',
  createdAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)),
  modelFile: 'model.json',
  inputs: [
    { name: 'pm2_5', type: 'double' as const },
    { name: 'o3', type: 'double' as const },
  ],
  output: { name: 'european_aqi', type: 'double' as const },
};

const pythonFunction = {
  loaderModule: 'aqi_pyfunc',
  code: 'code',
  env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
  pythonVersion: '3.11',
};

/** MLflow reads MLmodel with PyYAML, a YAML 1.1 reader. */
const readAsMlflow = (text: string) => parse(text, { version: '1.1' }) as Record<string, unknown>;

describe('mlmodelFile', () => {
  it('when a model is described, then the YAML carries what MLflow reads, signature columns as JSON strings', () => {
    const text = mlmodelFile(input);

    expect(readAsMlflow(text)).toEqual({
      artifact_path: 'model',
      flavors: { aqi_platform: { model_file: 'model.json', format: 'json' } },
      model_uuid: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      run_id: input.runId,
      signature: {
        inputs:
          '[{"type": "double", "name": "pm2_5", "required": true}, {"type": "double", "name": "o3", "required": true}]',
        outputs: '[{"type": "double", "name": "european_aqi", "required": true}]',
      },
      utc_time_created: '2025-01-02 03:04:05.678000',
    });
    expect(text).toContain(`  inputs: '[{"type": "double", "name": "pm2_5", "required": true}, {"type"`);
  });

  it('when a python_function flavor is asked for, then it loads the model file through the loader module', () => {
    const document = readAsMlflow(mlmodelFile({ ...input, pythonFunction }));

    expect(document.flavors).toEqual({
      aqi_platform: { model_file: 'model.json', format: 'json' },
      python_function: {
        loader_module: 'aqi_pyfunc',
        code: 'code',
        data: 'model.json',
        env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
        python_version: '3.11',
      },
    });
  });

  it('when the same run is described twice, then the file is identical; another run gets another uuid', () => {
    const uuid = (text: string) => readAsMlflow(text).model_uuid;

    expect(mlmodelFile(input)).toBe(mlmodelFile(input));
    expect(uuid(mlmodelFile({ ...input, runId: 'other' }))).not.toBe(uuid(mlmodelFile(input)));
  });

  it('when values look like YAML 1.1 numbers, booleans or times, then they still read back as the same strings', () => {
    const text = mlmodelFile({
      ...input,
      runId: '123e4',
      artifactPath: "models/it's: #1",
      flavorName: 'aqi_forest',
      format: 'yes',
      pythonFunction: { ...pythonFunction, pythonVersion: '3.10' },
    });
    const document = readAsMlflow(text);

    expect(document.run_id).toBe('123e4');
    expect(document.artifact_path).toBe("models/it's: #1");
    expect(document.utc_time_created).toBe('2025-01-02 03:04:05.678000');
    expect(document.flavors).toMatchObject({
      aqi_forest: { model_file: 'model.json', format: 'yes' },
      python_function: { python_version: '3.10' },
    });
    expect(text).toContain(`run_id: '123e4'\n`);
  });
});

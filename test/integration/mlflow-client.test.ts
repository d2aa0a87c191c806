import { randomBytes, randomUUID } from 'node:crypto';

import { createMlflowClient, type MlflowRun } from '../../adapters/mlflow/client';
import { mlmodelFile } from '../../adapters/mlflow/mlmodel';

import { testConfig } from './test-env';

const config = testConfig();
const mlflow = createMlflowClient(config.mlflow.url);
const unique = randomUUID().slice(0, 8);

describe('MLflow client against the real MLflow server', () => {
  let experimentId: string;

  beforeAll(async () => {
    experimentId = await mlflow.getOrCreateExperiment(`it-mlflow-client-${unique}`, { purpose: 'integration test' });
  });

  const newRun = (runName: string, tags?: Record<string, string>) => mlflow.createRun({ experimentId, runName, tags });

  it('when an experiment is got-or-created twice, then both calls answer the same id', async () => {
    const again = await mlflow.getOrCreateExperiment(`it-mlflow-client-${unique}`);

    expect(again).toBe(experimentId);
    expect((await mlflow.searchExperiments(1000)).map((e) => e.experiment_id)).toContain(experimentId);
  });

  it('when more than 1,000 metrics and 100 params are logged, then getRun returns every one and the final status', async () => {
    const run = await newRun('log-batch', { 'aqi.training_key': "lyon's 2024" });
    const metrics = Object.fromEntries(Array.from({ length: 1234 }, (_, i) => [`metric_${i}`, i / 7]));
    const params = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`param_${i}`, i % 2 ? i : `value ${i}`]));
    const tags = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`tag_${i}`, `t${i}`]));

    await mlflow.logBatch(run.runId, { metrics, params, tags, step: 2 });
    await mlflow.finishRun(run.runId, 'FINISHED', run.startTime === undefined ? undefined : run.startTime + 1000);
    const stored = await mlflow.getRun(run.runId);

    expect(stored?.metrics).toEqual(metrics);
    expect(stored?.params).toEqual(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
    expect(stored?.tags).toMatchObject({ ...tags, 'aqi.training_key': "lyon's 2024", 'mlflow.runName': 'log-batch' });
    expect(stored).toMatchObject({ status: 'FINISHED', runName: 'log-batch', experimentId });
    expect(stored?.endTime).toBe((run.startTime ?? 0) + 1000);
  });

  it('when runs are searched by a tag, then exactly the tagged runs are found, quotes included', async () => {
    const key = `it-${unique}`;
    const tagged = await newRun('tagged', { 'aqi.training_key': key, note: "it's" });
    await newRun('other', { 'aqi.training_key': `${key}-other` });

    const byKey = await mlflow.findRunsByTag(experimentId, 'aqi.training_key', key);
    const byQuote = await mlflow.findRunsByTag(experimentId, 'note', "it's");

    expect(byKey.map((r) => r.runId)).toEqual([tagged.runId]);
    expect(byQuote.map((r) => r.runId)).toEqual([tagged.runId]);
    expect(await mlflow.getRun(randomUUID().replace(/-/g, ''))).toBeUndefined();
  });

  describe('artifacts through the server proxy', () => {
    let run: MlflowRun;
    const json = JSON.stringify({ rmse: 3.2, city: 'Lyon ✓' });
    const binary = new Uint8Array(randomBytes(70_000));

    beforeAll(async () => {
      run = await newRun('artifacts');
    });

    it('when JSON and binary files are uploaded, then they download byte for byte and are listed', async () => {
      await mlflow.uploadArtifact(run, 'report/metrics.json', json, 'application/json');
      await mlflow.uploadArtifact(run, 'model/weights v1.bin', binary);
      await mlflow.uploadArtifact(run, 'model/MLmodel', mlmodelFile(mlmodelInput(run.runId)), 'text/yaml');

      expect(run.artifactUri).toBe(`mlflow-artifacts:/${experimentId}/${run.runId}/artifacts`);
      expect(Buffer.from(await mlflow.downloadArtifact(run, 'report/metrics.json')).toString('utf8')).toBe(json);
      expect(Buffer.from(await mlflow.downloadArtifact(run, 'model/weights v1.bin')).equals(binary)).toBe(true);
      expect(await mlflow.listArtifacts(run.runId)).toEqual([
        { path: 'model', isDir: true },
        { path: 'report', isDir: true },
      ]);
      expect(await mlflow.listArtifacts(run.runId, 'model')).toEqual([
        { path: 'model/MLmodel', isDir: false, fileSize: expect.any(Number) as unknown },
        { path: 'model/weights v1.bin', isDir: false, fileSize: 70_000 },
      ]);
    });

    it('when an artifact does not exist, then the download fails naming RESOURCE_DOES_NOT_EXIST', async () => {
      await expect(mlflow.downloadArtifact(run, 'nothing/here.json')).rejects.toMatchObject({
        code: 'MLFLOW_REQUEST_FAILED',
        errorCode: 'RESOURCE_DOES_NOT_EXIST',
      });
    });
  });

  describe('model registry with aliases', () => {
    const name = `it-aqi-${unique}`;
    let run: MlflowRun;

    beforeAll(async () => {
      run = await newRun('registry');
    });

    it('when a registered model is created twice, then the second call is a no-op', async () => {
      await mlflow.createRegisteredModel(name, { description: 'integration test', tags: { owner: 'it' } });
      await mlflow.createRegisteredModel(name);

      expect(await mlflow.searchRegisteredModels(1000)).toContain(name);
    });

    it('when versions are created, then they are found by run id and the challenger alias can move and go', async () => {
      const source = `${run.artifactUri}/model`;
      const first = await mlflow.createModelVersion({ name, source, runId: run.runId, tags: { rmse: '3.2' } });
      const second = await mlflow.createModelVersion({ name, source, runId: run.runId, description: 'retrained' });
      await mlflow.setModelVersionTag(name, first.version, 'validation', 'passed');

      const found = await mlflow.searchModelVersions(`name='${name}' and run_id='${run.runId}'`);
      expect(found.map((v) => v.version).sort()).toEqual([first.version, second.version].sort());
      expect(await mlflow.getModelVersion(name, first.version)).toMatchObject({
        runId: run.runId,
        source,
        tags: { rmse: '3.2', validation: 'passed' },
      });

      await mlflow.setAlias(name, 'challenger', first.version);
      expect(await mlflow.getVersionByAlias(name, 'challenger')).toMatchObject({
        version: first.version,
        aliases: ['challenger'],
      });

      await mlflow.setAlias(name, 'challenger', second.version);
      expect((await mlflow.getVersionByAlias(name, 'challenger'))?.version).toBe(second.version);
      expect((await mlflow.getModelVersion(name, first.version))?.aliases).toEqual([]);

      await mlflow.deleteAlias(name, 'challenger');
      await mlflow.deleteAlias(name, 'challenger');
      expect(await mlflow.getVersionByAlias(name, 'challenger')).toBeUndefined();
      expect(await mlflow.getVersionByAlias(`no-such-model-${unique}`, 'champion')).toBeUndefined();
    });

    it('when a version does not exist, then getModelVersion answers undefined', async () => {
      expect(await mlflow.getModelVersion(name, '999')).toBeUndefined();
      expect(await mlflow.getModelVersion(`no-such-model-${unique}`, '1')).toBeUndefined();
    });

    it('when a version is aliased to a version that does not exist, then the error names the endpoint and code', async () => {
      await expect(mlflow.setAlias(name, 'champion', '999')).rejects.toThrow(
        /^MLflow POST \/api\/2\.0\/mlflow\/registered-models\/alias failed with HTTP 404 RESOURCE_DOES_NOT_EXIST: /,
      );
    });
  });
});

function mlmodelInput(runId: string) {
  return {
    runId,
    artifactPath: 'model',
    createdAt: new Date(),
    modelFile: 'weights v1.bin',
    inputs: [{ name: 'pm2_5', type: 'double' as const }],
    output: { name: 'european_aqi', type: 'double' as const },
  };
}

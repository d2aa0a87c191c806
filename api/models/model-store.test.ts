import pino from 'pino';

import type { MlflowClient, MlflowModelVersion, MlflowRun } from '../../adapters/mlflow/client';
import { buildExamples, featureSpecFor } from '../../core/ml/features';
import { trainingParams, trainModel } from '../../core/ml/models';

import { createModelStore } from './model-store';

/**
 * The store's own logic (swap, keep-on-failure, no reload when unchanged) over an in-memory registry; the
 * real MLflow server is exercised by the integration tests.
 */
function linearModelJson(): string {
  const spec = featureSpecFor('instant', 0);
  const readings = Array.from({ length: 60 }, (_, h) => ({
    latitude: 45.7,
    longitude: 4.8,
    observedAt: new Date(Date.UTC(2024, 0, 1, h)).toISOString().replace('.000Z', 'Z'),
    values: { pm2_5: h % 17, pm10: (h % 23) + 2, carbon_monoxide: 150 + h, sulphur_dioxide: 1, uv_index: h % 5 },
    reported: { european_aqi: 10 + (h % 17) * 2 },
  }));
  const examples = buildExamples([{ locationId: 'lyon', readings }], spec);
  return JSON.stringify(trainModel('linear', examples, trainingParams.parse({})).toJSON());
}

function fakeRegistry(artifacts: Map<string, string>) {
  const champion: { current?: MlflowModelVersion } = {};
  let downloads = 0;
  const mlflow = {
    getVersionByAlias: (_name: string, _alias: string) => Promise.resolve(champion.current),
    getRun: (runId: string) =>
      Promise.resolve({ runId, experimentId: '1', artifactUri: 'x', metrics: { test_mae: 1 } } as unknown as MlflowRun),
    downloadArtifact: (run: { runId: string }) => {
      downloads += 1;
      const body = artifacts.get(run.runId);
      return body === undefined ? Promise.reject(new Error('artifact gone')) : Promise.resolve(Buffer.from(body));
    },
  } as unknown as MlflowClient;
  const promote = (version: string, runId: string) => {
    champion.current = { name: 'm', version, runId, source: 's', status: 'READY', tags: {}, aliases: ['champion'] };
  };
  return { mlflow, promote, downloads: () => downloads };
}

describe('the champion store', () => {
  const logger = pino({ level: 'silent' });

  it('when no champion exists yet, then nothing is served and the reload says absent', async () => {
    const registry = fakeRegistry(new Map());
    const store = createModelStore({ mlflow: registry.mlflow, modelNames: ['m'], logger });
    expect(await store.reload()).toEqual([{ name: 'm', result: 'absent' }]);
    expect(store.get('m')).toBeUndefined();
  });

  it('when the alias moves, then the new version is served; when it has not, nothing is downloaded again', async () => {
    const registry = fakeRegistry(
      new Map([
        ['run-1', linearModelJson()],
        ['run-2', linearModelJson()],
      ]),
    );
    const store = createModelStore({ mlflow: registry.mlflow, modelNames: ['m'], logger });
    registry.promote('1', 'run-1');
    await store.reload();
    expect(store.get('m')?.version).toBe('1');

    expect(await store.reload()).toEqual([{ name: 'm', result: 'unchanged', version: '1' }]);
    expect(registry.downloads()).toBe(1);

    registry.promote('2', 'run-2');
    expect(await store.reload()).toEqual([{ name: 'm', result: 'loaded', version: '2' }]);
    expect(store.get('m')?.version).toBe('2');
  });

  it('when the new champion cannot be loaded, then the previous one keeps serving', async () => {
    const registry = fakeRegistry(
      new Map([
        ['run-1', linearModelJson()],
        ['run-bad', '{"not":"a model"}'],
      ]),
    );
    const store = createModelStore({ mlflow: registry.mlflow, modelNames: ['m'], logger });
    registry.promote('1', 'run-1');
    await store.reload();

    registry.promote('2', 'run-bad');
    const [outcome] = await store.reload();

    expect(outcome).toMatchObject({ name: 'm', result: 'failed', version: '1' });
    expect(store.get('m')?.version).toBe('1');
    expect(store.get('m')?.model.predict([[1, 2, 3, 4, 5]])).toHaveLength(1);
  });
});

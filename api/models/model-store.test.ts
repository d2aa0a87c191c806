import pino from 'pino';

import type { MlflowClient, MlflowModelVersion, MlflowRun } from '../../adapters/mlflow/client';
import { buildExamples, featureSpecFor } from '../../core/ml/features';
import { trainingParams, trainModel } from '../../core/ml/models';
import { syntheticSeries } from '../../core/ml/synthetic-series';

import { createModelStore } from './model-store';

/**
 * The store's own logic (discovery, swap, keep-on-failure, no reload when unchanged, retirement) over an
 * in-memory registry; the real MLflow server is exercised by the integration tests.
 */
const instant = 'aqi-eaqi-instant';
const plus6 = 'aqi-eaqi-forecast-6h';
const plus24 = 'aqi-eaqi-forecast-24h';

const series = syntheticSeries('lyon', 24 * 20);
const modelJson = (kind: 'instant' | 'forecast', horizonHours: number): string => {
  const examples = buildExamples([series], featureSpecFor(kind, horizonHours));
  return JSON.stringify(trainModel('linear', examples, trainingParams.parse({})).toJSON());
};
const artifacts = new Map([
  ['run-instant-1', modelJson('instant', 0)],
  ['run-instant-2', modelJson('instant', 0)],
  ['run-6h', modelJson('forecast', 6)],
  ['run-24h', modelJson('forecast', 24)],
  ['run-bad', '{"not":"a model"}'],
]);

/** Registered models, each with an optional champion; `down` makes every call fail like an unreachable MLflow. */
function fakeRegistry() {
  const champions = new Map<string, MlflowModelVersion | undefined>();
  let downloads = 0;
  let down = false;
  const unreachable = () => Promise.reject(new Error('connect ECONNREFUSED'));
  const mlflow = {
    searchRegisteredModels: () => (down ? unreachable() : Promise.resolve([...champions.keys()])),
    getVersionByAlias: (name: string, _alias: string) => (down ? unreachable() : Promise.resolve(champions.get(name))),
    getRun: (runId: string) =>
      Promise.resolve({ runId, experimentId: '1', artifactUri: 'x', metrics: { test_mae: 1 } } as unknown as MlflowRun),
    downloadArtifact: (run: { runId: string }) => {
      downloads += 1;
      const body = artifacts.get(run.runId);
      return body === undefined ? Promise.reject(new Error('artifact gone')) : Promise.resolve(Buffer.from(body));
    },
  } as unknown as MlflowClient;
  return {
    mlflow,
    register: (name: string) => champions.set(name, champions.get(name)),
    promote: (name: string, version: string, runId: string) =>
      champions.set(name, { name, version, runId, source: 's', status: 'READY', tags: {}, aliases: ['champion'] }),
    removeChampion: (name: string) => champions.set(name, undefined),
    setDown: (value: boolean) => (down = value),
    downloads: () => downloads,
  };
}

describe('the champion store', () => {
  const logger = pino({ level: 'silent' });

  it('when the registry holds no champion yet, then nothing is served and a registered model is reported absent', async () => {
    const registry = fakeRegistry();
    const store = createModelStore({ mlflow: registry.mlflow, logger });
    expect(await store.reload()).toEqual([]);

    registry.register(instant);
    expect(await store.reload()).toEqual([{ name: instant, result: 'absent' }]);
    expect(store.get(instant)).toBeUndefined();
  });

  it('when the alias moves, then the new version is served; when it has not, nothing is downloaded again', async () => {
    const registry = fakeRegistry();
    const store = createModelStore({ mlflow: registry.mlflow, logger });
    registry.promote(instant, '1', 'run-instant-1');
    await store.reload();
    expect(store.get(instant)?.version).toBe('1');

    expect(await store.reload()).toEqual([{ name: instant, result: 'unchanged', version: '1' }]);
    expect(registry.downloads()).toBe(1);

    registry.promote(instant, '2', 'run-instant-2');
    expect(await store.reload()).toEqual([{ name: instant, result: 'loaded', version: '2' }]);
    expect(store.get(instant)?.version).toBe('2');
  });

  it('when a champion of a new forecast horizon appears, then the next poll serves it beside the others', async () => {
    const registry = fakeRegistry();
    registry.promote(instant, '1', 'run-instant-1');
    registry.promote(plus24, '1', 'run-24h');
    registry.register('someone-elses-model');
    const store = createModelStore({ mlflow: registry.mlflow, logger });
    await store.reload();
    expect(store.list().map((m) => m.name)).toEqual([plus24, instant]);

    store.startPolling(10);
    try {
      registry.promote(plus6, '3', 'run-6h');
      await waitFor(() => store.get(plus6) !== undefined);
    } finally {
      store.stop();
    }

    expect(store.get(plus6)).toMatchObject({ name: plus6, version: '3', alias: 'champion' });
    expect(store.get(plus6)?.model.spec).toMatchObject({ kind: 'forecast', horizonHours: 6 });
    expect(store.list().map((m) => m.name)).toEqual([plus24, plus6, instant]);
    expect(store.get('someone-elses-model')).toBeUndefined();
  });

  it('when the new champion cannot be loaded, then the previous one keeps serving', async () => {
    const registry = fakeRegistry();
    const store = createModelStore({ mlflow: registry.mlflow, logger });
    registry.promote(instant, '1', 'run-instant-1');
    await store.reload();

    registry.promote(instant, '2', 'run-bad');
    const [outcome] = await store.reload();

    expect(outcome).toMatchObject({ name: instant, result: 'failed', version: '1' });
    expect(store.get(instant)?.version).toBe('1');
    expect(store.get(instant)?.model.predict([[1, 2, 3, 4, 5]])).toHaveLength(1);
  });

  it('when a version holds another horizon than its name says, then it is refused and not served', async () => {
    const registry = fakeRegistry();
    const store = createModelStore({ mlflow: registry.mlflow, logger });
    registry.promote(plus6, '1', 'run-24h');

    const [outcome] = await store.reload();

    expect(outcome).toMatchObject({ name: plus6, result: 'failed' });
    expect(outcome?.error).toMatch(/\+24 h, not what its name says/);
    expect(store.get(plus6)).toBeUndefined();
  });

  it('when the registry cannot be reached, then every served model keeps serving', async () => {
    const registry = fakeRegistry();
    const store = createModelStore({ mlflow: registry.mlflow, logger });
    registry.promote(instant, '1', 'run-instant-1');
    registry.promote(plus6, '3', 'run-6h');
    await store.reload();

    registry.setDown(true);
    const outcomes = await store.reload();

    expect(outcomes.map((o) => [o.name, o.result, o.version])).toEqual([
      [plus6, 'failed', '3'],
      [instant, 'failed', '1'],
    ]);
    expect(store.list().map((m) => `${m.name}@${m.version}`)).toEqual([`${plus6}@3`, `${instant}@1`]);
  });

  it('when the champion alias is removed from a served model, then it is retired and the others stay', async () => {
    const registry = fakeRegistry();
    const store = createModelStore({ mlflow: registry.mlflow, logger });
    registry.promote(instant, '1', 'run-instant-1');
    registry.promote(plus6, '3', 'run-6h');
    await store.reload();

    registry.removeChampion(plus6);
    const outcomes = await store.reload();

    expect(outcomes).toContainEqual({ name: plus6, result: 'retired', version: '3' });
    expect(store.get(plus6)).toBeUndefined();
    expect(store.get(instant)?.version).toBe('1');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

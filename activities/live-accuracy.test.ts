import type { MlflowRun } from '../adapters/mlflow/client';
import { buildExamples, featureSpecFor } from '../core/ml/features';
import { trainingParams, trainModel } from '../core/ml/models';
import { servedIndex } from '../core/ml/served-index';
import { syntheticSeries } from '../core/ml/synthetic-series';
import { inActivityOf } from '../test/support/activity-context';
import { fakeMlflow } from '../test/support/mlflow-fake';
import { fakePredictionLog, fakeTrainingSet } from '../test/support/repository-fakes';

import { createLiveAccuracyActivities } from './live-accuracy';

/** The hourly scoring step over fakes: every champion predicts the stored hours, actuals resolve what waits. */
const inActivity = inActivityOf('ingest-hourly-lyon-2024-12-05T12');
const series = syntheticSeries('lyon', 24 * 10, { start: '2024-12-01T00:00:00Z', seed: 3 });
const model = trainModel('linear', buildExamples([series], featureSpecFor('instant', 0)), trainingParams.parse({}));
const trainingRun: MlflowRun = {
  runId: 'train-5',
  experimentId: '1',
  status: 'FINISHED',
  artifactUri: 'mlflow-artifacts:/1/train-5/artifacts',
  params: {},
  metrics: { test_mae: 1.5, test_rows: 744 },
  tags: {},
};

function setUp() {
  const registry = fakeMlflow({
    champions: {
      'aqi-eaqi-instant': { version: '5', runId: 'train-5', tags: {} },
      // Registered by hand, without a run: nothing to load, so it is skipped and said so.
      'aqi-eaqi-forecast-24h': { version: '2', tags: {} },
    },
    runs: [trainingRun],
  });
  registry.artifacts.set('train-5/model/model.json', Buffer.from(JSON.stringify(model.toJSON())));
  const log = fakePredictionLog();
  const activities = createLiveAccuracyActivities({
    mlflow: registry.mlflow,
    trainingSet: fakeTrainingSet([series]),
    predictionLog: log.repository,
  });
  return { activities, log };
}

describe('scoreStoredHours', () => {
  it("when three hours are stored, then each champion's served prediction of each is logged, with its holdout MAE kept", async () => {
    const { activities, log } = setUp();

    const outcome = await inActivity(activities.scoreStoredHours, {
      locationIds: ['lyon'],
      from: '2024-12-05T10:00:00Z',
      to: '2024-12-05T12:00:00Z',
    });

    expect(outcome.models).toEqual([{ modelName: 'aqi-eaqi-instant', version: '5', logged: 3 }]);
    expect(outcome.skipped).toEqual([
      { modelName: 'aqi-eaqi-forecast-24h', version: '2', reason: 'no readable training run' },
    ]);
    const logged = [...log.predictions.values()];
    expect(logged.map((p) => [p.originHour, p.targetHour, p.horizonHours, p.source])).toEqual([
      ['2024-12-05T10:00:00Z', '2024-12-05T10:00:00Z', 0, 'scoring'],
      ['2024-12-05T11:00:00Z', '2024-12-05T11:00:00Z', 0, 'scoring'],
      ['2024-12-05T12:00:00Z', '2024-12-05T12:00:00Z', 0, 'scoring'],
    ]);
    const at12 = buildExamples([series], model.spec);
    const row = at12.at.indexOf('2024-12-05T12:00:00Z');
    expect(logged[2]?.predicted).toBe(servedIndex(model.predict([at12.x[row] ?? []])[0] ?? Number.NaN));
    expect(log.holdouts.get('aqi-eaqi-instant@5')).toEqual({
      modelName: 'aqi-eaqi-instant',
      modelVersion: '5',
      runId: 'train-5',
      holdoutMae: 1.5,
      holdoutRows: 744,
    });
  });

  it('when the same hours are scored again after their actuals arrived, then nothing new is logged and the waiting ones resolve', async () => {
    const { activities, log } = setUp();
    const input = { locationIds: ['lyon'], from: '2024-12-05T11:00:00Z', to: '2024-12-05T12:00:00Z' };

    const first = await inActivity(activities.scoreStoredHours, input);
    log.actuals.set('lyon|2024-12-05T11:00:00Z', 30);
    log.actuals.set('lyon|2024-12-05T12:00:00Z', 31);
    const again = await inActivity(activities.scoreStoredHours, input);

    expect(first.resolved).toBe(0);
    expect(again).toMatchObject({ models: [{ logged: 0 }], resolved: 2 });
    expect([...log.predictions.values()].map((p) => p.actual)).toEqual([30, 31]);
  });
});

import { latestWindows, paramsFromRun, retrainRequest, retrainWorkflowId } from './request';

describe('latestWindows', () => {
  it('when the data ends with 2024, then the windows are the bundled defaults: the year, November validating, December held out', () => {
    expect(latestWindows('2025-01-01T00:00:00Z')).toEqual({
      trainFrom: '2024-01-01T00:00:00Z',
      validationFrom: '2024-11-01T00:00:00Z',
      testFrom: '2024-12-01T00:00:00Z',
      testTo: '2025-01-01T00:00:00Z',
    });
  });

  it('when the end falls on a day a shorter month lacks, then that month ends the window instead of rolling over', () => {
    expect(latestWindows('2024-03-31T05:00:00Z')).toMatchObject({
      validationFrom: '2024-01-31T05:00:00Z',
      testFrom: '2024-02-29T05:00:00Z',
      trainFrom: '2023-03-31T05:00:00Z',
    });
  });
});

describe('paramsFromRun', () => {
  it('when a run logged its hyper-parameters flattened, then they come back as the object, typed, without the unset ones', () => {
    expect(
      paramsFromRun({
        algorithm: 'random-forest',
        'param.seed': '42',
        'param.randomForest.nEstimators': '10',
        'param.randomForest.bootstrap': 'false',
        'param.randomForest.linearBase': 'undefined',
        'param.boostedTrees.loss': 'huber',
        'param.linear.ridge': '0.01',
      }),
    ).toEqual({
      seed: 42,
      randomForest: { nEstimators: 10, bootstrap: false },
      boostedTrees: { loss: 'huber' },
      linear: { ridge: 0.01 },
    });
  });
});

describe('retrainRequest and retrainWorkflowId', () => {
  it('when an instant champion is retrained, then it keeps its recipe and name, and the id names model, version, reason and window', () => {
    const request = retrainRequest({
      modelName: 'aqi-eaqi-instant',
      versionTags: { 'aqi.kind': 'instant', 'aqi.algorithm': 'linear' },
      runParams: { locations: 'lyon', 'param.linear.ridge': '0.5' },
      to: '2025-01-01T00:00:00Z',
      approvalTimeout: '72h',
      tolerance: 0.05,
    });

    expect(request).toMatchObject({ kind: 'instant', algorithm: 'linear', params: { linear: { ridge: 0.5 } } });
    expect(request).not.toHaveProperty('horizonHours');
    expect(
      retrainWorkflowId({
        modelName: 'aqi-eaqi-instant',
        fromVersion: '4',
        reason: 'dataset_drift',
        windowTo: '2025-01-01T00:00:00Z',
      }),
    ).toBe('retrain-aqi-eaqi-instant-v4-dataset-drift-20250101T00Z');
  });
});

import { evaluate, evaluateGate } from './evaluation';
import { type Examples } from './examples';
import { featureSpecFor } from './feature-spec';
import { type RegressionMetrics } from './metrics';
import { trainingParams, trainModel } from './models';

const metrics = (mae: number, n = 100): RegressionMetrics => ({ n, mae, rmse: mae * 1.3, r2: 0.5, maeByBand: {} });

describe('evaluateGate', () => {
  it('when the candidate beats the baseline and there is no champion, then it passes', () => {
    const result = evaluateGate({ kind: 'forecast', candidate: metrics(2), baseline: metrics(4), tolerance: 0.05 });

    expect(result.passed).toBe(true);
    expect(result.reasons.join('\n')).toMatch(/beats the persistence baseline's 4\.000/);
  });

  it('when the candidate does not beat the baseline, then it fails and says so', () => {
    const result = evaluateGate({ kind: 'instant', candidate: metrics(12), baseline: metrics(12), tolerance: 0.05 });

    expect(result.passed).toBe(false);
    expect(result.reasons).toContain("fail: candidate MAE 12.000 does not beat the linear baseline's 12.000");
  });

  it.each([
    [10.4, true],
    [10.5, true],
    [10.6, false],
  ])('when the champion has MAE 10 and the tolerance is 5 %%, then a candidate at %d passes: %s', (mae, passed) => {
    const result = evaluateGate({
      kind: 'instant',
      candidate: metrics(mae),
      baseline: metrics(14),
      champion: metrics(10),
      tolerance: 0.05,
    });

    expect(result.passed).toBe(passed);
  });

  it('when the candidate was scored on no examples, then the gate fails whatever the numbers', () => {
    const empty: RegressionMetrics = { n: 0, mae: NaN, rmse: NaN, r2: NaN, maeByBand: {} };

    expect(evaluateGate({ kind: 'forecast', candidate: empty, baseline: empty, tolerance: 0.05 }).passed).toBe(false);
  });

  it('when the baseline was scored on other examples or the tolerance is invalid, then the gate fails', () => {
    expect(
      evaluateGate({ kind: 'forecast', candidate: metrics(2), baseline: metrics(4, 99), tolerance: 0 }).passed,
    ).toBe(false);
    expect(evaluateGate({ kind: 'forecast', candidate: metrics(2), baseline: metrics(4), tolerance: -1 }).passed).toBe(
      false,
    );
  });
});

describe('evaluate', () => {
  it('when a persistence model is scored, then its predictions are the examples’ persistence values', () => {
    const examples: Examples = {
      spec: featureSpecFor('instant', 0),
      x: [
        [0, 0, 0, 0, 0],
        [1, 1, 1, 1, 1],
      ],
      y: [10, 20],
      at: ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z'],
      target: ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z'],
      locationIds: ['a', 'a'],
      persistence: [12, 20],
    };
    const model = trainModel('persistence', examples, trainingParams.parse({}));

    expect(evaluate(model, examples)).toMatchObject({ n: 2, mae: 1 });
  });
});

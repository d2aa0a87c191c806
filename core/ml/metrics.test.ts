import { AppError } from '../errors';

import { regressionMetrics } from './metrics';

describe('regressionMetrics', () => {
  it('when computed on a small case, then MAE, RMSE and R² match the hand-computed values', () => {
    // errors: +2, -2, 0, +4 → MAE 2, RMSE √6; mean 25, SS_tot 500, SS_res 24 → R² 0.952
    const metrics = regressionMetrics([10, 20, 30, 40], [12, 18, 30, 44]);

    expect(metrics.n).toBe(4);
    expect(metrics.mae).toBeCloseTo(2, 12);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt(6), 12);
    expect(metrics.r2).toBeCloseTo(1 - 24 / 500, 12);
  });

  it('when grouped by band, then each group is the band of the ACTUAL value', () => {
    const { maeByBand } = regressionMetrics([10, 20, 30, 90, 150], [15, 40, 30, 70, 100]);

    expect(maeByBand).toEqual({
      good: { n: 2, mae: 12.5 },
      fair: { n: 1, mae: 0 },
      'very poor': { n: 1, mae: 20 },
      'extremely poor': { n: 1, mae: 50 },
    });
  });

  it('when the actual values are constant, then R² is 1 for a perfect prediction and 0 otherwise', () => {
    expect(regressionMetrics([5, 5], [5, 5]).r2).toBe(1);
    expect(regressionMetrics([5, 5], [4, 6]).r2).toBe(0);
  });

  it('when the lengths differ or a prediction is not finite, then it throws', () => {
    expect(() => regressionMetrics([1, 2], [1])).toThrow(AppError);
    expect(() => regressionMetrics([1], [NaN])).toThrow(AppError);
  });

  it('when there are no examples, then n is 0 and the errors are NaN rather than a flattering 0', () => {
    expect(regressionMetrics([], [])).toEqual({ n: 0, mae: NaN, rmse: NaN, r2: NaN, maeByBand: {} });
  });
});

import { fitLine, residualSumOfSquares } from './least-squares';

describe('fitLine', () => {
  it('when points lie on a line, then the fit is that line with R² 1 and no residuals', () => {
    const xs = [0, 1, 2, 3, 4];
    const ys = xs.map((x) => 3 - 2 * x);

    expect(fitLine(xs, ys)).toEqual({ slope: -2, intercept: 3, r2: 1, n: 5 });
    expect(residualSumOfSquares(xs, ys)).toBe(0);
  });

  it('when points scatter symmetrically around a flat line, then the slope is 0 and R² is 0', () => {
    const fit = fitLine([0, 1, 2, 3], [1, -1, -1, 1]);

    expect(fit?.slope).toBe(0);
    expect(fit?.r2).toBe(0);
    expect(residualSumOfSquares([0, 1, 2, 3], [1, -1, -1, 1])).toBe(4);
  });

  it('when x does not vary or there is one point, then there is no fit', () => {
    expect(fitLine([2, 2, 2], [1, 2, 3])).toBeUndefined();
    expect(fitLine([1], [1])).toBeUndefined();
    expect(residualSumOfSquares([2, 2], [1, 3])).toBe(Number.POSITIVE_INFINITY);
  });
});

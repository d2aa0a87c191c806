import { predictLinear, trainLinear } from './linear';

describe('trainLinear', () => {
  const x = Array.from({ length: 50 }, (_, i) => [i % 7, (i * 13) % 11, 5]);
  const y = x.map(([a, b]) => 3 + 2 * (a as number) - 0.5 * (b as number));

  it('when the target is an exact linear function, then ridge 0 recovers it in raw units', () => {
    const model = trainLinear(x, y, { ridge: 0 });

    expect(model.intercept).toBeCloseTo(3, 9);
    expect(model.weights[0]).toBeCloseTo(2, 9);
    expect(model.weights[1]).toBeCloseTo(-0.5, 9);
    expect(model.weights[2]).toBe(0); // constant column: no information, no weight
    expect(predictLinear(model, [10, 10, 5])).toBeCloseTo(18, 9);
  });

  it('when the penalty grows, then the weights shrink towards 0 and the intercept towards the mean', () => {
    const weak = trainLinear(x, y, { ridge: 0.01 });
    const strong = trainLinear(x, y, { ridge: 100 });
    const mean = y.reduce((s, v) => s + v, 0) / y.length;

    expect(Math.abs(strong.weights[0] as number)).toBeLessThan(Math.abs(weak.weights[0] as number));
    expect(predictLinear(strong, [3, 5, 5])).toBeCloseTo(mean, 0);
  });
});

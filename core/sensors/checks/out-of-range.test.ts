import { rangeViolation } from './out-of-range';

const pm = { min: 0, max: 1000 };
const sentinels = [-999, -9999, 65535];

describe('rangeViolation', () => {
  it('when a value sits on a bound, then it is plausible; just past it, it is out of range', () => {
    expect(rangeViolation(1000, pm, sentinels)).toBeUndefined();
    expect(rangeViolation(0, pm, sentinels)).toBeUndefined();
    expect(rangeViolation(1000.1, pm, sentinels)).toMatchObject({ reason: 'above_max', bound: 1000 });
    expect(rangeViolation(-0.1, pm, sentinels)).toMatchObject({ reason: 'below_min', bound: 0 });
  });

  it('when a value is a sentinel, then it is reported as one even where the range would also catch it', () => {
    expect(rangeViolation(-999, pm, sentinels)).toEqual({ reason: 'sentinel', score: 1 });
    expect(rangeViolation(65535, pm, sentinels)).toEqual({ reason: 'sentinel', score: 1 });
    expect(rangeViolation(-998, pm, sentinels)?.reason).toBe('below_min');
  });

  it('when a value is further past its bound, then its score grows by one per range width', () => {
    expect(rangeViolation(1100, pm, sentinels)?.score).toBeCloseTo(1 + 100 / 1000, 12);
    expect(rangeViolation(-500, pm, sentinels)?.score).toBeCloseTo(1 + 500 / 1000, 12);
  });
});

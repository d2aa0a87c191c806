import { rateViolation } from './rate-of-change';

const minute = 60_000;
const at = (value: number, minutes: number) => ({ value, ms: minutes * minute });

describe('rateViolation', () => {
  it('when a change per minute reaches the limit, then it passes; just over, it is a violation', () => {
    expect(rateViolation(at(10, 0), at(160, 1), 150, minute)).toBeUndefined();
    expect(rateViolation(at(10, 0), at(160.1, 1), 150, minute)).toMatchObject({ perMinute: expect.closeTo(150.1, 9) });
    expect(rateViolation(at(160.1, 0), at(10, 1), 150, minute)).toBeDefined();
  });

  it('when the change spans a gap, then it is spread over the gap', () => {
    expect(rateViolation(at(10, 0), at(310, 2), 150, minute)).toBeUndefined();
  });

  it('when two readings are closer than one interval, then the change counts over one interval', () => {
    const violation = rateViolation(at(0, 0), at(300, 0.5), 150, minute);

    expect(violation?.perMinute).toBe(300);
    expect(violation?.score).toBe(2);
  });
});

import { AppError } from '../errors';

import { defaultQualityThresholds, resolveQualityThresholds } from './thresholds';

describe('resolveQualityThresholds', () => {
  it('when nothing is overridden, then the documented defaults apply', () => {
    expect(resolveQualityThresholds()).toEqual(defaultQualityThresholds);
    expect(defaultQualityThresholds).toMatchObject({
      completenessWarnBelow: 0.99,
      completenessFailBelow: 0.9,
      maxStalenessHours: 3,
      stuckRunWarnHours: 3,
      stuckRunFailHours: 24,
      indexTolerance: 1,
    });
  });

  it('when one limit is overridden, then only it changes, and an undefined override keeps the default', () => {
    const resolved = resolveQualityThresholds({ maxStalenessHours: 6, indexTolerance: undefined });

    expect(resolved).toEqual({ ...defaultQualityThresholds, maxStalenessHours: 6 });
  });

  it('when a warn level is stricter than its fail level, then it is refused with a 400', () => {
    const resolve = () => resolveQualityThresholds({ completenessFailBelow: 0.995 });

    expect(resolve).toThrow(AppError);
    expect(resolve).toThrow(/completenessFailBelow must not exceed completenessWarnBelow/);
  });

  it('when a share is given as a percentage, then it is refused', () => {
    expect(() => resolveQualityThresholds({ nullShareWarnAbove: 1 as number, nullShareFailAbove: 10 })).toThrow(
      /invalid quality thresholds/,
    );
  });
});

import { AppError } from '../errors';

import { type Examples } from './examples';
import { featureSpecFor } from './feature-spec';
import { chronologicalSplit } from './split';

const hour = (h: number) => new Date(Date.UTC(2024, 9, 1) + h * 3_600_000).toISOString().replace('.000Z', 'Z');

/** One example per hour over 10 days, predicting 6 h ahead; x and y carry the hour number. */
function examples(): Examples {
  const hours = Array.from({ length: 240 }, (_, h) => h);
  return {
    spec: featureSpecFor('forecast', 6),
    x: hours.map((h) => [h]),
    y: hours.map((h) => h + 6),
    at: hours.map(hour),
    target: hours.map((h) => hour(h + 6)),
    locationIds: hours.map(() => 'lyon'),
    persistence: hours.map((h) => h),
  };
}

describe('chronologicalSplit', () => {
  const bounds = { validationFrom: hour(120), testFrom: hour(180) };

  it('when split, then every training target precedes validation by the 24 h gap, and validation precedes test by it', () => {
    const { train, validation, test } = chronologicalSplit(examples(), bounds);

    expect(train.target.at(-1)).toBe(hour(120 - 24 - 1));
    expect(validation.target[0]).toBe(hour(120));
    expect(validation.target.at(-1)).toBe(hour(180 - 24 - 1));
    expect(test.target[0]).toBe(hour(180));
    expect(test.target.at(-1)).toBe(hour(245));
  });

  it('when split, then no example is in two sets, rows stay whole and in order, and the spec is kept', () => {
    const { train, validation, test } = chronologicalSplit(examples(), bounds);
    const all = [...train.at, ...validation.at, ...test.at];

    expect(new Set(all).size).toBe(all.length);
    for (const set of [train, validation, test]) {
      expect(set.x.map((row) => row[0])).toEqual(
        set.at.map((at) => (Date.parse(at) - Date.parse(hour(0))) / 3_600_000),
      );
      expect(set.y).toEqual(set.x.map((row) => (row[0] as number) + 6));
      expect([...set.target].sort()).toEqual(set.target);
      expect(set.spec?.horizonHours).toBe(6);
    }
  });

  it('when testTo and a gap are given, then the test set stops there and the gap is that long', () => {
    const { train, test } = chronologicalSplit(examples(), { ...bounds, testTo: hour(200), gapHours: 48 });

    expect(test.target.at(-1)).toBe(hour(199));
    expect(train.target.at(-1)).toBe(hour(120 - 48 - 1));
  });

  it('when the bounds are out of order, then the split is refused', () => {
    expect(() => chronologicalSplit(examples(), { validationFrom: hour(180), testFrom: hour(120) })).toThrow(AppError);
    expect(() => chronologicalSplit(examples(), { ...bounds, testTo: hour(100) })).toThrow(AppError);
  });
});

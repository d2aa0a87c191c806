import fc from 'fast-check';

import { flooredSd, madToSd, median, medianAbsoluteDeviation, sortedMad } from './robust';
import { SlidingWindow } from './sliding-window';

/** The textbook definitions, by full sorts: what the fast versions must agree with. */
const naiveMedian = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
};
const naiveMad = (values: readonly number[], center: number) => naiveMedian(values.map((v) => Math.abs(v - center)));

const values = fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 80 });

describe('robust statistics', () => {
  it('when the MAD is taken in one pass over a sorted array, then it equals the median of the sorted deviations', () => {
    fc.assert(
      fc.property(values, fc.double({ min: -1000, max: 1000, noNaN: true }), (xs, center) => {
        const sorted = [...xs].sort((a, b) => a - b);
        expect(sortedMad(sorted, center)).toBeCloseTo(naiveMad(xs, center), 9);
        expect(medianAbsoluteDeviation(xs)).toBeCloseTo(naiveMad(xs, naiveMedian(xs)), 9);
        expect(median(xs)).toBe(naiveMedian(xs));
      }),
    );
  });

  it('when values slide through a window, then its median and MAD are those of its last `capacity` values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), values, (capacity, xs) => {
        const window = new SlidingWindow(capacity);
        xs.forEach((x, i) => {
          const left = window.push(x);
          expect(left).toBe(i >= capacity ? xs[i - capacity] : undefined);
          const last = xs.slice(Math.max(0, i + 1 - capacity), i + 1);
          expect(window.values()).toEqual(last);
          expect(window.median()).toBe(naiveMedian(last));
          expect(window.mad()).toBeCloseTo(naiveMad(last, naiveMedian(last)), 9);
        });
      }),
    );
  });

  it('when the MAD is tiny, then the robust sd is the larger of the absolute and the relative floor', () => {
    const floor = { absolute: 1, relative: 0.1 };

    expect(flooredSd(0, 5, floor)).toBe(1);
    expect(flooredSd(0, 30, floor)).toBe(3);
    expect(flooredSd(0, -30, floor)).toBe(3);
    expect(flooredSd(4, 30, floor)).toBe(4 * madToSd);
  });
});

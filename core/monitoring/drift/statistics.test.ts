import { chiSquarePValue } from './chi-square';
import { jensenShannonDistance } from './jensen-shannon';
import { kolmogorovCdf, kolmogorovSf } from './kolmogorov';
import { ksTwoSample } from './ks';
import { populationStabilityIndex } from './psi';
import { categoricalSample, combinedUniqueCount, numericalSample } from './sample';
import { smirnovSf } from './smirnov';
import { populationStd, wassersteinDistance } from './wasserstein';
import { zTestPValue } from './z-test';

/** Small cases worked by hand; golden.test.ts holds the same functions to Evidently and SciPy at scale. */

const sorted = (...values: number[]) => Float64Array.from(values).sort();
const counts = (entries: [string, number][]) => new Map<string, number>(entries);

describe('ksTwoSample', () => {
  it('when two samples of 3 do not overlap, then D = 1 and the exact p-value is 2·C(6,0)/C(6,3) = 0.1', () => {
    const result = ksTwoSample(sorted(1, 2, 3), sorted(4, 5, 6));

    expect(result).toEqual({ statistic: 1, pValue: expect.closeTo(0.1, 15), pValueMethod: 'exact' });
  });

  it('when the samples are identical, then D = 0 and p = 1', () => {
    expect(ksTwoSample(sorted(1, 2, 2, 3), sorted(1, 2, 2, 3))).toEqual({
      statistic: 0,
      pValue: 1,
      pValueMethod: 'exact',
    });
  });

  it('when sizes differ, then the lattice count gives 1 − P(stay inside): 2 vs 1 non-overlapping is 2/3', () => {
    // Paths from (0,0) to (2,1): 3; D = 1 needs the path to reach (2,0) or (0,1) first; all but none stay inside.
    const result = ksTwoSample(sorted(1, 2), sorted(3));

    expect(result.statistic).toBe(1);
    expect(result.pValue).toBeCloseTo(2 / 3, 15);
  });

  it('when one sample has more than 10,000 values, then the p-value is asymptotic', () => {
    const big = Float64Array.from({ length: 10001 }, (_, i) => i / 10001);

    expect(ksTwoSample(sorted(0.1, 0.5, 0.9), big).pValueMethod).toBe('asymptotic');
    expect(ksTwoSample(sorted(0.1, 0.5, 0.9), big.subarray(0, 10000)).pValueMethod).toBe('exact');
  });
});

describe('the Kolmogorov distributions', () => {
  it('when n = 1, then P(D₁ ≥ d) = 2(1 − d) on [1/2, 1] and both tails sum to 1', () => {
    expect(kolmogorovSf(1, 0.75)).toBeCloseTo(0.5, 15);
    expect(kolmogorovSf(1, 0.4)).toBe(1);
    expect(kolmogorovSf(5, 0.3) + kolmogorovCdf(5, 0.3)).toBeCloseTo(1, 15);
  });

  it('when n = 1 or x ≥ 1 − 1/n, then the one-sided tail has its closed forms', () => {
    expect(smirnovSf(1, 0.3)).toBeCloseTo(0.7, 15);
    expect(smirnovSf(4, 0.8)).toBeCloseTo(0.2 ** 4, 15);
    expect(smirnovSf(4, 0)).toBe(1);
  });
});

describe('wassersteinDistance and populationStd', () => {
  it("when a sample is shifted by 5, then the distance is 5 (scipy's documented example)", () => {
    expect(wassersteinDistance(sorted(0, 1, 3), sorted(5, 6, 8))).toBeCloseTo(5, 14);
    expect(wassersteinDistance(sorted(0, 1), sorted(0, 1))).toBe(0);
  });

  it('when the std is computed, then it is the population one (ddof 0)', () => {
    expect(populationStd(sorted(1, 2, 3, 4))).toBeCloseTo(Math.sqrt(1.25), 15);
  });
});

describe('chi-square and z-test p-values', () => {
  it('when current counts are the reference counts scaled, then chi-square gives p = 1', () => {
    const reference = counts([
      ['a', 10],
      ['b', 20],
      ['c', 30],
    ]);
    const current = counts([
      ['a', 5],
      ['b', 10],
      ['c', 15],
    ]);

    expect(chiSquarePValue(reference, 60, current, 30)).toBeCloseTo(1, 12);
  });

  it('when a category appears only in the current window, then its expected count is 0 and p = 0', () => {
    const reference = counts([
      ['a', 10],
      ['b', 10],
      ['c', 10],
    ]);
    const current = counts([
      ['a', 10],
      ['b', 10],
      ['c', 9],
      ['d', 1],
    ]);

    expect(chiSquarePValue(reference, 30, current, 30)).toBe(0);
  });

  it('when the two categories are swapped in name, then the two-sided z-test p-value is the same', () => {
    const p = zTestPValue(
      counts([
        ['no', 80],
        ['yes', 20],
      ]),
      100,
      counts([
        ['no', 60],
        ['yes', 40],
      ]),
      100,
    );
    const swapped = zTestPValue(
      counts([
        ['yes', 80],
        ['no', 20],
      ]),
      100,
      counts([
        ['yes', 60],
        ['no', 40],
      ]),
      100,
    );

    // z = 0.2 / √(0.3·0.7·0.02) = 3.086: p ≈ 0.00203
    expect(p).toBeCloseTo(0.002028, 6);
    expect(swapped).toBe(p);
  });

  it('when both windows hold one and the same category, then p = 1; two different ones are a drift', () => {
    expect(zTestPValue(counts([['x', 5]]), 5, counts([['x', 9]]), 9)).toBe(1);
    expect(zTestPValue(counts([['x', 50]]), 50, counts([['y', 50]]), 50)).toBeLessThan(1e-20);
  });
});

describe('Jensen-Shannon distance and PSI', () => {
  it('when the shares are equal, then both are 0; when disjoint, Jensen-Shannon is √ln 2', () => {
    const p = Float64Array.from([0.2, 0.8]);

    expect(jensenShannonDistance(p, p)).toBe(0);
    expect(populationStabilityIndex(p, p)).toBe(0);
    expect(jensenShannonDistance(Float64Array.from([1, 0]), Float64Array.from([0, 1]))).toBeCloseTo(
      Math.sqrt(Math.LN2),
      15,
    );
  });

  it('when a bin is empty, then PSI replaces it with 0.0001 on that side only', () => {
    const psi = populationStabilityIndex(Float64Array.from([0.5, 0.5, 0]), Float64Array.from([0.25, 0.25, 0.5]));
    const expected = 2 * 0.25 * Math.log(2) + (0.0001 - 0.5) * Math.log(0.0001 / 0.5);

    expect(psi).toBeCloseTo(expected, 12);
  });

  it('when the smallest non-empty share is ≤ 0.0001, then an empty bin gets a millionth of it', () => {
    const psi = populationStabilityIndex(
      Float64Array.from([0.99995, 0.00005, 0]),
      Float64Array.from([0.5, 0.25, 0.25]),
    );
    const r0 = 0.00005 / 1e6;
    const expected =
      (0.99995 - 0.5) * Math.log(0.99995 / 0.5) +
      (0.00005 - 0.25) * Math.log(0.00005 / 0.25) +
      (r0 - 0.25) * Math.log(r0 / 0.25);

    expect(psi).toBeCloseTo(expected, 10);
  });
});

describe('cleaning a column', () => {
  it('when values hold null, NaN and ±Infinity, then only the finite numbers remain, sorted', () => {
    const sample = numericalSample('x', [3, null, Number.NaN, 1, Infinity, undefined, -Infinity, 2]);

    expect([...sample.sorted]).toEqual([1, 2, 3]);
  });

  it('when a categorical column holds NaN, null, -0 and 0, then NaN and null are missing and -0 is 0', () => {
    const sample = categoricalSample('c', ['a', null, Number.NaN, -0, 0, 'a', Infinity]);

    expect(sample.size).toBe(4);
    expect([...sample.counts]).toEqual([
      ['a', 2],
      [0, 2],
    ]);
  });

  it('when a numerical column holds a string, then it is refused with the row', () => {
    expect(() => numericalSample('pm25', [1, '2' as unknown as number])).toThrow(/column pm25: value "2" at row 1/);
  });

  it('when unique values are counted with a cap, then counting stops there', () => {
    const a = numericalSample('a', [1, 2, 3, 4]);
    const b = numericalSample('b', [4, 5, 6, 7]);

    expect(combinedUniqueCount(a, b)).toBe(7);
    expect(combinedUniqueCount(a, b, 6)).toBe(6);
  });
});

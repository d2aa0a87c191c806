import { AppError } from '../../errors';

/**
 * A column's values once cleaned as Evidently 0.7 cleans them before any drift test
 * (`get_one_column_drift`: `replace([-inf, inf], nan).dropna()`): null, undefined, NaN, +Infinity and
 * -Infinity are dropped, for numerical and categorical columns alike. What is left decides everything
 * downstream: the reference size that picks the test (≤ 1,000 rows), the number of unique values, the
 * "not enough data" verdict.
 */

/** A category: what a categorical column may hold besides the missing markers. */
export type Category = string | number | boolean;
export type NumericalValues = ArrayLike<number | null | undefined>;
export type CategoricalValues = ArrayLike<Category | null | undefined>;

/** A numerical sample: the finite values, sorted ascending (every test here reads them in order). */
export interface NumericalSample {
  readonly kind: 'numerical';
  readonly sorted: Float64Array;
}

/** A categorical sample: how often each category occurs, and the total. */
export interface CategoricalSample {
  readonly kind: 'categorical';
  readonly counts: ReadonlyMap<Category, number>;
  readonly size: number;
}

export type Sample = NumericalSample | CategoricalSample;

export function sampleSize(sample: Sample): number {
  return sample.kind === 'numerical' ? sample.sorted.length : sample.size;
}

const invalid = (column: string, index: number, value: unknown, expected: string) =>
  new AppError(
    'DRIFT_INVALID_VALUE',
    `column ${column}: value ${JSON.stringify(value) ?? String(value)} at row ${index} is not ${expected}`,
    { httpStatus: 400, details: { column, row: index } },
  );

/** The finite numbers of a numerical column, sorted; anything but a number or a missing marker is refused. */
export function numericalSample(column: string, values: NumericalValues): NumericalSample {
  const kept = new Float64Array(values.length);
  let size = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value: unknown = values[i];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number') throw invalid(column, i, value, 'a number');
    // `value - value` is 0 for a finite number, NaN for NaN and ±Infinity: one test drops all three.
    if (value - value === 0) kept[size++] = value;
  }
  const sorted = kept.subarray(0, size).sort();
  return { kind: 'numerical', sorted };
}

/** The category counts of a categorical column; NaN and ±Infinity count as missing, as pandas drops them. */
export function categoricalSample(column: string, values: CategoricalValues): CategoricalSample {
  const counts = new Map<Category, number>();
  let size = 0;
  for (let i = 0; i < values.length; i += 1) {
    const value: unknown = values[i];
    if (value === null || value === undefined) continue;
    if (typeof value === 'number' && !(value - value === 0)) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw invalid(column, i, value, 'a string, number or boolean');
    }
    // -0 and 0 are one category (Map keys compare with SameValueZero), as they are one value in pandas.
    counts.set(value, (counts.get(value) ?? 0) + 1);
    size += 1;
  }
  return { kind: 'categorical', counts, size };
}

/** Value counts of a sorted numerical sample (what pandas' `value_counts` gives for a float column). */
export function valueCounts(sample: Sample): ReadonlyMap<Category, number> {
  if (sample.kind === 'categorical') return sample.counts;
  const counts = new Map<Category, number>();
  const { sorted } = sample;
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j += 1;
    counts.set(sorted[i] as number, j - i);
    i = j;
  }
  return counts;
}

/** Distinct values of a sorted array, counted only up to `cap` (the tests only ask "more than 5? 20?"). */
function distinctSorted(sorted: Float64Array, cap: number): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length && distinct < cap; i += 1) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct += 1;
  }
  return distinct;
}

/** Unique values of one sample, counted up to `cap` (pandas' `nunique`). */
export function uniqueCount(sample: Sample, cap = Number.POSITIVE_INFINITY): number {
  return sample.kind === 'numerical' ? distinctSorted(sample.sorted, cap) : Math.min(sample.counts.size, cap);
}

/** Unique values of both samples together, counted up to `cap` (`pd.concat([reference, current]).nunique()`). */
export function combinedUniqueCount(a: Sample, b: Sample, cap = Number.POSITIVE_INFINITY): number {
  if (a.kind === 'categorical' || b.kind === 'categorical') {
    const keys = new Set([...valueCounts(a).keys(), ...valueCounts(b).keys()]);
    return Math.min(keys.size, cap);
  }
  const x = a.sorted;
  const y = b.sorted;
  let distinct = 0;
  let last = Number.NaN;
  for (let i = 0, j = 0; (i < x.length || j < y.length) && distinct < cap;) {
    const value = j >= y.length || (i < x.length && (x[i] as number) <= (y[j] as number)) ? x[i++] : y[j++];
    if (value !== last) distinct += 1;
    last = value as number;
  }
  return distinct;
}

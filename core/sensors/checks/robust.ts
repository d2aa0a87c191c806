/**
 * Robust location and scale: the median and the MAD, which a few wild readings cannot move, unlike a mean
 * and a standard deviation. 1.4826·MAD estimates the standard deviation of normal noise (Hampel filter).
 */

/** MAD × this = robust standard deviation, for normal noise. */
export const madToSd = 1.4826;

/** Median of an ascending array (not checked); NaN when empty. */
export function sortedMedian(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const middle = n >> 1;
  return n % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Median absolute deviation from `center` of an ascending array, in O(n) without sorting: the deviations
 * left of the center grow leftwards and those right of it grow rightwards, so merging the two ascending
 * runs up to the middle rank gives the median deviation.
 */
export function sortedMad(sorted: readonly number[], center: number = sortedMedian(sorted)): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  let right = lowerBound(sorted, center);
  let left = right - 1;
  const nextDeviation = (): number => {
    const fromLeft = left >= 0 ? center - (sorted[left] as number) : Number.POSITIVE_INFINITY;
    const fromRight = right < n ? (sorted[right] as number) - center : Number.POSITIVE_INFINITY;
    if (fromLeft <= fromRight) {
      left--;
      return fromLeft;
    }
    right++;
    return fromRight;
  };
  const middle = n >> 1;
  let deviation = 0;
  for (let rank = 0; rank < middle; rank++) deviation = nextDeviation();
  const upper = nextDeviation();
  return n % 2 === 1 ? upper : (deviation + upper) / 2;
}

export function median(values: readonly number[]): number {
  return sortedMedian(ascending(values));
}

export function medianAbsoluteDeviation(values: readonly number[], center: number = median(values)): number {
  return sortedMad(ascending(values), center);
}

/**
 * The robust sd with its floor: a window of near-identical values has a MAD near 0, and dividing by it
 * would make any wiggle an outlier. The floor is the sensor's resolution (`absolute`) or a share of the
 * level (`relative`), whichever is larger.
 */
export function flooredSd(mad: number, center: number, floor: { absolute: number; relative: number }): number {
  return Math.max(madToSd * mad, floorSd(center, floor));
}

/** The floor alone: a cheap lower bound of `flooredSd` that needs no MAD. */
export function floorSd(center: number, floor: { absolute: number; relative: number }): number {
  return Math.max(floor.absolute, floor.relative * Math.abs(center));
}

export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** First index whose value is ≥ `value` in an ascending array. */
export function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index whose value is > `value` in an ascending array. */
export function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

import { AppError } from '../errors';

import type { MeasuredVariable } from './reading';

/**
 * The mechanics every hourly air-quality index shares: the series it reads, the value it returns, the
 * piecewise-linear position of a concentration among breakpoints, trailing means over past hours, and the
 * "index = highest sub-index" rule.
 */

/**
 * Hourly values at ONE location: index `i` of every array is the hour `observedAt[i]`. The caller guarantees
 * the hours are consecutive (no gaps), because windows below are counted in array positions, not timestamps.
 */
export interface HourlySeries {
  observedAt: string[];
  values: Partial<Record<MeasuredVariable, (number | null)[]>>;
}

/** One hour's index, with the method that produced it so values computed by different rules are never mixed. */
export interface AqiValue<M extends string = string> {
  value: number;
  /** The pollutant with the highest sub-index; on a tie, the first in the index's own pollutant order. */
  dominant: MeasuredVariable;
  method: M;
  subIndices: Partial<Record<MeasuredVariable, number>>;
}

/**
 * Where `concentration` sits among ascending `breakpoints`, counted in bands: band i spans breakpoints[i] ..
 * breakpoints[i+1] and maps linearly onto i .. i+1. Above the last breakpoint the last band's slope continues,
 * so the scale has no ceiling. Below the first breakpoint (only negative concentrations, which models can emit
 * as numerical noise) the position is 0.
 */
export function bandPosition(breakpoints: readonly number[], concentration: number): number {
  const last = breakpoints.length - 1;
  if (last < 1) throw new RangeError('a band table needs at least two breakpoints');
  if (concentration <= (breakpoints[0] as number)) return 0;
  for (let i = 1; i <= last; i++) {
    const upper = breakpoints[i] as number;
    const lower = breakpoints[i - 1] as number;
    // Strictly below the upper edge, or past the last band: either way this band's slope applies.
    if (concentration < upper || i === last) return i - 1 + (concentration - lower) / (upper - lower);
  }
  return 0; // unreachable: the loop returns on its last band
}

/**
 * Mean of `values` over the `hours` hours BEFORE hour `t` (t-hours .. t-1, hour t itself excluded). Null when
 * the window reaches before the series starts or holds a missing hour: a partial mean would understate a
 * pollution episode that the missing hours may have contained.
 */
export function trailingMean(values: readonly (number | null)[], t: number, hours: number): number | null {
  if (t - hours < 0) return null;
  let sum = 0;
  for (let h = t - hours; h < t; h++) {
    const value = values[h];
    if (value === null || value === undefined) return null;
    sum += value;
  }
  return sum / hours;
}

/** The hourly value at `t`, with an absent position read as missing. */
export function valueAt(values: readonly (number | null)[], t: number): number | null {
  return values[t] ?? null;
}

/**
 * The index of one hour: the highest sub-index, in the given pollutant order so ties resolve the same way
 * every time. Null when no pollutant could be indexed that hour.
 */
export function highestSubIndex<M extends string>(
  order: readonly MeasuredVariable[],
  subIndices: Partial<Record<MeasuredVariable, number>>,
  method: M,
): AqiValue<M> | null {
  let dominant: MeasuredVariable | undefined;
  let value = -Infinity;
  for (const pollutant of order) {
    const subIndex = subIndices[pollutant];
    if (subIndex !== undefined && subIndex > value) {
      dominant = pollutant;
      value = subIndex;
    }
  }
  return dominant === undefined ? null : { value, dominant, method, subIndices };
}

/** Every value array must line up with `observedAt`; a shorter or longer one means the caller mis-assembled it. */
export function assertAligned(series: HourlySeries): void {
  for (const [variable, values] of Object.entries(series.values)) {
    if (values !== undefined && values.length !== series.observedAt.length) {
      throw new AppError(
        'aqi_series_misaligned',
        `${variable} has ${values.length} hourly values for ${series.observedAt.length} hours`,
        { httpStatus: 500, operational: false },
      );
    }
  }
}

import { type Category, type Sample, uniqueCount, valueCounts } from './sample';

/**
 * The shares Evidently's "jensenshannon" and "psi" stat tests compare (`get_binned_data`):
 *
 * - a numerical column whose **reference** has more than 20 unique values: both samples in one histogram,
 *   bins from numpy's `histogram_bin_edges(reference ∪ current, bins="sturges")`, i.e.
 *   ⌈range / (range / (log₂ N + 1))⌉ equal bins over [min, max] of the N combined values (a zero range
 *   becomes [v − 0.5, v + 0.5] with one bin), edges `first + i·step` with the last edge exactly max, each bin
 *   [edgeᵢ, edgeᵢ₊₁) and the last one closed, as `np.histogram` counts them;
 * - otherwise (categorical, or few values): one bin per value seen in either sample.
 *
 * Each bin's share is its count over that sample's size. PSI then replaces empty bins (see `psi.ts`);
 * Jensen-Shannon does not.
 */

export interface BinnedShares {
  reference: Float64Array;
  current: Float64Array;
}

/** numpy's `histogram_bin_edges(values, "sturges")` over the merged range of two sorted samples. */
export function sturgesEdges(a: Float64Array, b: Float64Array): Float64Array {
  const size = a.length + b.length;
  const min = Math.min(a[0] ?? Number.POSITIVE_INFINITY, b[0] ?? Number.POSITIVE_INFINITY);
  const max = Math.max(a[a.length - 1] ?? Number.NEGATIVE_INFINITY, b[b.length - 1] ?? Number.NEGATIVE_INFINITY);
  const range = max - min;
  const [first, last] = range === 0 ? [min - 0.5, max + 0.5] : [min, max];
  const width = range / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const step = (last - first) / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i += 1) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/** Index of the first value ≥ x (`right`: > x) in a sorted array. */
function search(sorted: Float64Array, x: number, right: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const value = sorted[mid] as number;
    if (value < x || (right && value === x)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `np.histogram(sorted, edges)[0] / len(sorted)`. */
export function histogramShares(sorted: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const shares = new Float64Array(bins);
  let previous = search(sorted, edges[0] as number, false);
  for (let i = 0; i < bins; i += 1) {
    const next = search(sorted, edges[i + 1] as number, i === bins - 1);
    shares[i] = (next - previous) / sorted.length;
    previous = next;
  }
  return shares;
}

function countShares(reference: Sample, current: Sample, referenceSize: number, currentSize: number): BinnedShares {
  const referenceCounts = valueCounts(reference);
  const currentCounts = valueCounts(current);
  const keys: Category[] = [...new Set([...referenceCounts.keys(), ...currentCounts.keys()])];
  return {
    reference: Float64Array.from(keys, (key) => (referenceCounts.get(key) ?? 0) / referenceSize),
    current: Float64Array.from(keys, (key) => (currentCounts.get(key) ?? 0) / currentSize),
  };
}

/** The reference-side unique count above which a numerical column is histogrammed instead of counted. */
export const histogramAbove = 20;

export function binnedShares(reference: Sample, current: Sample, referenceSize: number, currentSize: number) {
  if (
    reference.kind === 'numerical' &&
    current.kind === 'numerical' &&
    uniqueCount(reference, histogramAbove + 1) > histogramAbove
  ) {
    const edges = sturgesEdges(reference.sorted, current.sorted);
    return { reference: histogramShares(reference.sorted, edges), current: histogramShares(current.sorted, edges) };
  }
  return countShares(reference, current, referenceSize, currentSize);
}

/** Two samples binned on shared edges, as shares of each sample: the small charts of the HTML report. */
export interface Histogram {
  /** `bins + 1` ascending edges over both samples' finite values; one bin when every value is the same. */
  edges: number[];
  reference: number[];
  current: number[];
}

const finite = (values: readonly number[]): number[] => values.filter((v) => Number.isFinite(v));

export function sharedHistogram(reference: readonly number[], current: readonly number[], bins: number): Histogram {
  const ref = finite(reference);
  const cur = finite(current);
  const all = [...ref, ...cur];
  if (all.length === 0) return { edges: [], reference: [], current: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of all) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const count = hi > lo ? bins : 1;
  const width = hi > lo ? (hi - lo) / count : 1;
  const edges = Array.from({ length: count + 1 }, (_, i) => (i === count ? (hi > lo ? hi : lo + 1) : lo + i * width));
  const shares = (values: readonly number[]) => {
    const counts = new Array<number>(count).fill(0);
    for (const v of values) {
      const bin = Math.min(count - 1, Math.floor((v - lo) / width));
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    return counts.map((c) => (values.length === 0 ? 0 : c / values.length));
  };
  return { edges, reference: shares(ref), current: shares(cur) };
}

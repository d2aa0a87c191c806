import { lowerBound, sortedMad, sortedMedian, upperBound } from './robust';

/**
 * The last `capacity` values of a series, kept both in arrival order (to know which leaves next) and sorted
 * (so the median is a lookup and the MAD one O(n) pass). Adding a value is a binary search and one shift of
 * at most `capacity` numbers: no window is re-sorted per reading.
 */
export class SlidingWindow {
  private readonly arrival: number[] = [];
  private readonly sorted: number[] = [];

  constructor(
    readonly capacity: number,
    values: readonly number[] = [],
  ) {
    for (const value of values) this.push(value);
  }

  get size(): number {
    return this.arrival.length;
  }

  get full(): boolean {
    return this.arrival.length >= this.capacity;
  }

  /** Adds `value`; returns the value that left to make room, if one did. */
  push(value: number): number | undefined {
    let left: number | undefined;
    if (this.arrival.length >= this.capacity) {
      left = this.arrival.shift() as number;
      this.sorted.splice(lowerBound(this.sorted, left), 1);
    }
    this.arrival.push(value);
    this.sorted.splice(upperBound(this.sorted, value), 0, value);
    return left;
  }

  median(): number {
    return sortedMedian(this.sorted);
  }

  mad(center: number = this.median()): number {
    return sortedMad(this.sorted, center);
  }

  clear(): void {
    this.arrival.length = 0;
    this.sorted.length = 0;
  }

  /** The values oldest first: what a snapshot keeps (the sorted copy is rebuilt from it). */
  values(): number[] {
    return [...this.arrival];
  }
}

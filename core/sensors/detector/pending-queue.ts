import type { SensorReading } from '../reading';

export interface PendingReading {
  ms: number;
  sensorId: string;
  reading: SensorReading;
}

/**
 * Accepted readings waiting for the watermark, as a binary heap in event-time order (sensor id on ties):
 * taking one in or out is O(log n), whatever the number of sensors on the partition.
 */
export class PendingQueue {
  private readonly heap: PendingReading[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): PendingReading | undefined {
    return this.heap[0];
  }

  push(item: PendingReading): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent] as PendingReading)) break;
      heap[i] = heap[parent] as PendingReading;
      i = parent;
    }
    heap[i] = item;
  }

  pop(): PendingReading | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && before(heap[right] as PendingReading, heap[left] as PendingReading) ? right : left;
      if (!before(heap[child] as PendingReading, last)) break;
      heap[i] = heap[child] as PendingReading;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** Every waiting reading, in no particular order (no copy: do not change it). */
  unordered(): readonly PendingReading[] {
    return this.heap;
  }

  /** Every waiting reading, in the order they will be released. */
  inOrder(): PendingReading[] {
    return [...this.heap].sort((a, b) => (before(a, b) ? -1 : 1));
  }
}

function before(a: PendingReading, b: PendingReading): boolean {
  return a.ms < b.ms || (a.ms === b.ms && a.sensorId < b.sensorId);
}

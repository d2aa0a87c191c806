import fc from 'fast-check';

import type { SensorReading } from '../reading';

import { PendingQueue } from './pending-queue';

const reading = {} as SensorReading;

describe('PendingQueue', () => {
  it('when readings are pushed in any order, then they come out by event time, then sensor id', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ms: fc.integer({ min: 0, max: 50 }), sensorId: fc.constantFrom('A', 'B', 'C', 'D') }), {
          maxLength: 60,
        }),
        (items) => {
          const queue = new PendingQueue();
          for (const item of items) queue.push({ ...item, reading });
          const expected = [...items].sort(
            (a, b) => a.ms - b.ms || (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0),
          );

          expect(queue.inOrder().map(({ ms, sensorId }) => ({ ms, sensorId }))).toEqual(expected);
          const popped = [];
          while (queue.size > 0) {
            const { ms, sensorId } = queue.pop() as { ms: number; sensorId: string };
            popped.push({ ms, sensorId });
          }
          expect(popped).toEqual(expected);
          expect(queue.pop()).toBeUndefined();
        },
      ),
    );
  });
});

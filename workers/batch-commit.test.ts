import type { Consumer, Producer } from 'kafkajs';

import { commitChunk, lagAfter, startConsuming } from './batch-commit';

describe('batch commits', () => {
  it('when started, then both clients connect before the consumer subscribes and runs without committing itself', async () => {
    const steps: unknown[][] = [];
    const producer = { connect: async () => void steps.push(['producer.connect']) } as unknown as Producer;
    const consumer = {
      connect: async () => void steps.push(['consumer.connect']),
      subscribe: async (options: unknown) => void steps.push(['subscribe', options]),
      run: async (options: unknown) => void steps.push(['run', options]),
    } as unknown as Consumer;
    const eachBatch = async () => undefined;

    await startConsuming({ producer, consumer }, 'sensors.raw', { partitionsConsumedConcurrently: 2, eachBatch });

    expect(steps).toEqual([
      ['producer.connect'],
      ['consumer.connect'],
      ['subscribe', { topics: ['sensors.raw'], fromBeginning: true }],
      ['run', { autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 2, eachBatch }],
    ]);
  });

  it('when a chunk is committed, then its last offset is resolved, the uncommitted offsets committed, then a heartbeat', async () => {
    const steps: unknown[][] = [];
    const uncommitted = { topics: [{ topic: 'sensors.raw', partitions: [{ partition: 0, offset: '42' }] }] };
    const payload = {
      resolveOffset: (offset: string) => void steps.push(['resolve', offset]),
      uncommittedOffsets: () => uncommitted,
      commitOffsetsIfNecessary: async (offsets?: unknown) => void steps.push(['commit', offsets]),
      heartbeat: async () => void steps.push(['heartbeat']),
    };

    await commitChunk(payload, '41');

    expect(steps).toEqual([['resolve', '41'], ['commit', uncommitted], ['heartbeat']]);
  });

  it('counts the records after the chunk not fetched yet, never fewer than none', () => {
    expect(lagAfter({ highWatermark: '100' }, '41')).toBe(58);
    expect(lagAfter({ highWatermark: '42' }, '41')).toBe(0);
    expect(lagAfter({ highWatermark: '0' }, '41')).toBe(0);
  });
});

import type { Batch, Consumer, KafkaMessage, Producer } from 'kafkajs';

import { batchChunks, commitChunk, lagAfter, startConsuming } from './batch-commit';

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

  it('splits a batch into chunks of at most maxMessages, each with its last offset, until the consumer stops', () => {
    const messages = ['10', '11', '12', '13', '14'].map((offset) => ({ offset }) as KafkaMessage);
    let running = true;
    const payload = { batch: { messages } as Batch, isRunning: () => running, isStale: () => false };

    const chunks = [];
    for (const { chunk, last } of batchChunks(payload, 2)) {
      chunks.push({ offsets: chunk.map((m) => m.offset), last });
      if (chunks.length === 2) running = false;
    }

    expect(chunks).toEqual([
      { offsets: ['10', '11'], last: '11' },
      { offsets: ['12', '13'], last: '13' },
    ]);
    expect([...batchChunks({ ...payload, isRunning: () => true }, 2)].map((c) => c.last)).toEqual(['11', '13', '14']);
    expect([...batchChunks({ ...payload, isRunning: () => true, isStale: () => true }, 2)]).toEqual([]);
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

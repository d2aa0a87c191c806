import { partitionForKey } from './partition';

/** murmur2 of a key as the Java client computes it (Apache Kafka's `UtilsTest.testMurmur2`). */
const javaMurmur2: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('partitionForKey', () => {
  it.each(javaMurmur2)(
    'when the key is "%s", then the partition is the Java client’s positive murmur2 modulo the count',
    (key, hash) => {
      for (const count of [1, 3, 7, 1000]) expect(partitionForKey(key, count)).toBe((hash & 0x7fffffff) % count);
    },
  );

  it('when sensor ids are routed to three partitions, then the same id always lands on the same one and all three get some', () => {
    const ids = Array.from({ length: 24 }, (_, i) => `CAP_${String(i + 1).padStart(3, '0')}`);
    const first = ids.map((id) => partitionForKey(id, 3));

    expect(ids.map((id) => partitionForKey(id, 3, 'sensors.raw'))).toEqual(first);
    expect(new Set(first)).toEqual(new Set([0, 1, 2]));
  });

  it('when the count is not a positive integer, then it is refused', () => {
    expect(() => partitionForKey('a', 0)).toThrow(RangeError);
    expect(() => partitionForKey('a', 1.5)).toThrow(RangeError);
  });
});

import { RandomStream, streamSeed } from './random';

const draws = (stream: RandomStream, n: number) => Array.from({ length: n }, () => stream.float());

describe('seeded random streams', () => {
  it('when a stream is made twice from the same seed and name, then it draws the same numbers', () => {
    expect(draws(new RandomStream(7, ['noise', 'CAP_001']), 5)).toEqual(
      draws(new RandomStream(7, ['noise', 'CAP_001']), 5),
    );
  });

  it('when the seed or the name differs, then the numbers differ', () => {
    const base = draws(new RandomStream(7, ['noise', 'CAP_001']), 3);

    expect(draws(new RandomStream(8, ['noise', 'CAP_001']), 3)).not.toEqual(base);
    expect(draws(new RandomStream(7, ['noise', 'CAP_002']), 3)).not.toEqual(base);
    expect(streamSeed(7, ['a', 'bc'])).not.toBe(streamSeed(7, ['ab', 'c']));
  });

  it('when seed 1 stream "x" draws, then it gives the recorded values (the generator has not changed)', () => {
    // Recorded from pure-rand 8.4.2's xoroshiro128+: a simulation is only reproducible while these hold.
    expect(streamSeed(1, ['x'])).toBe(-987331931);
    expect(draws(new RandomStream(1, ['x']), 3)).toEqual([0.3044273567970329, 0.8850700585715516, 0.8490102188021665]);
  });

  it('when ints, normals and shuffles are drawn, then they keep to their ranges and moments', () => {
    const random = new RandomStream(42);
    const ints = Array.from({ length: 2000 }, () => random.int(1, 6));
    const normals = Array.from({ length: 20000 }, () => random.normal(10, 2));
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    const sd = Math.sqrt(normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length);

    expect(new Set(ints)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    expect(random.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

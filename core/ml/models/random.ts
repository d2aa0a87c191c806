/**
 * A small seeded generator (SplitMix32-style), so every sample a learner draws is replayable from its seed:
 * same inputs and params, same model.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** A non-negative 31-bit integer, for seeding another generator (ml-random-forest wants an int32). */
  nextSeed(): number;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    next: () => nextUint32() / 2 ** 32,
    nextSeed: () => nextUint32() >>> 1,
  };
}

/** `count` distinct indices of 0 .. n-1 (all of them when count ≥ n), ascending, by a partial Fisher–Yates. */
export function sampleIndices(random: Random, n: number, count: number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.next() * (n - i));
    [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
  }
  return pool.slice(0, count).sort((a, b) => a - b);
}

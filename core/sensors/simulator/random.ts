import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * Seeded randomness for the simulator: pure-rand's xoroshiro128+ (fast-check's generator), never
 * `Math.random`. Every part of a simulation draws from its own stream, named by a path such as
 * `['noise', 'CAP_001']`: a stream depends only on the seed and its name, so changing the fault mix leaves
 * the sensors' placement and noise as they were, and a benchmark can compare two mixes on the same air.
 */
export class RandomStream {
  readonly #generator: RandomGenerator;
  /** A second normal deviate from the last Box–Muller pair, used before drawing a new pair. */
  #spareNormal: number | undefined;

  constructor(seed: number, path: readonly (string | number)[] = []) {
    this.#generator = xoroshiro128plus(streamSeed(seed, path));
    // xoroshiro128+ seeded from 32 bits starts with half its state constant; the first outputs are the
    // least mixed, so they are thrown away.
    for (let i = 0; i < 8; i++) this.#generator.next();
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.#generator);
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.#generator, min, max);
  }

  /** True with probability `p`. Always draws, so the stream advances the same whatever `p` is. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Normal deviate (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    if (this.#spareNormal !== undefined) {
      const spare = this.#spareNormal;
      this.#spareNormal = undefined;
      return mean + sd * spare;
    }
    const u = 1 - this.float(); // (0, 1]: log(0) would be -Infinity
    const v = this.float();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = radius * Math.sin(2 * Math.PI * v);
    return mean + sd * radius * Math.cos(2 * Math.PI * v);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}

/**
 * The 32-bit seed of a named stream: FNV-1a over the seed and the path, finished with murmur3's fmix32 so
 * that names differing in one character give unrelated seeds.
 */
export function streamSeed(seed: number, path: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of [String(seed), ...path.map(String)].join('\u0000')) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash | 0;
}

import { FlatlineCheck } from './flatline';

const limits = { readings: 5, lowValue: 3, lowFactor: 4, tolerance: 0 };
const minute = 60_000;

/** Feeds values one a minute; returns the run reported on each reading. */
function feed(check: FlatlineCheck, values: readonly number[]) {
  return values.map((v, i) => check.observe(v, i * minute));
}

describe('FlatlineCheck', () => {
  it('when a value repeats one reading short of the rule, then nothing; on the reading that completes it, a run from the first', () => {
    const runs = feed(new FlatlineCheck(limits), [7, 12.4, 12.4, 12.4, 12.4, 12.4, 12.4, 9]);

    expect(runs.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(runs[5]).toEqual({ startMs: 1 * minute, value: 12.4, readings: 5, required: 5, score: 1 });
    expect(runs[6]).toMatchObject({ startMs: 1 * minute, readings: 6, score: 6 / 5 });
    expect(runs[7]).toBeUndefined();
  });

  it('when the repeated value is at or below the low-value floor, then the run must last the factor times longer', () => {
    const low = feed(
      new FlatlineCheck(limits),
      Array.from({ length: 20 }, () => 3),
    );

    expect(low.slice(0, 19).every((run) => run === undefined)).toBe(true);
    expect(low[19]).toMatchObject({ readings: 20, required: 20 });
    expect(
      feed(
        new FlatlineCheck(limits),
        Array.from({ length: 5 }, () => 3.1),
      )[4],
    ).toMatchObject({ required: 5 });
  });

  it('when the low-value rule is off, then low values follow the plain rule', () => {
    const check = new FlatlineCheck({ ...limits, lowValue: null });

    expect(feed(check, [0, 0, 0, 0, 0])[4]).toMatchObject({ readings: 5, required: 5 });
  });

  it('when values differ within the tolerance, then they count as the same; beyond it, the run restarts', () => {
    const tolerant = new FlatlineCheck({ ...limits, tolerance: 0.05 });

    expect(feed(tolerant, [20, 20.05, 19.95, 20, 20.05])[4]).toMatchObject({ readings: 5, value: 20 });
    expect(feed(new FlatlineCheck({ ...limits, tolerance: 0.05 }), [20, 20.05, 19.95, 20, 20.06])[4]).toBeUndefined();
  });

  it('when restored from a snapshot mid-run, then it completes the same run', () => {
    const original = new FlatlineCheck(limits);
    feed(original, [10, 10, 10]);
    const restored = new FlatlineCheck(limits, JSON.parse(JSON.stringify(original.snapshot())));

    expect(restored.observe(10, 3 * minute)).toBeUndefined();
    expect(restored.observe(10, 4 * minute)).toEqual({ startMs: 0, value: 10, readings: 5, required: 5, score: 1 });
  });
});

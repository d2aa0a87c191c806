import fc from 'fast-check';

import { SpikeCheck, type SpikeLimits } from './spike';

const minute = 60_000;
const limits: SpikeLimits = {
  window: 40,
  centerReadings: 10,
  minReadings: 20,
  k: 6,
  backK: 3,
  maxReadings: 3,
  floor: { absolute: 0.5, relative: 0 },
};

/**
 * 40 readings of 9, 10, 11, …: every median of them (and of any 10 in a row) is 10 and their MAD is 1, so
 * the robust sd is 1.4826 and a reading is an outlier beyond 10 ± 6 × 1.4826.
 */
function primed(options: Partial<SpikeLimits> = {}): { check: SpikeCheck; next: number } {
  const check = new SpikeCheck({ ...limits, ...options });
  for (let i = 0; i < 40; i++) check.observe(9 + (i % 3), i * minute);
  return { check, next: 40 * minute };
}
const threshold = 6 * 1.4826 * 1;

describe('SpikeCheck', () => {
  it('when a reading is just within k robust sd of the median, then it is no outlier; just beyond, it is', () => {
    expect(primed().check.observe(10 + threshold - 0.001, 40 * minute)).toEqual({ outlier: false });
    expect(primed().check.observe(10 - threshold + 0.001, 40 * minute)).toEqual({ outlier: false });
    expect(primed().check.observe(10 + threshold + 0.001, 40 * minute)).toEqual({ outlier: true });
    expect(primed().check.observe(10 - threshold - 0.001, 40 * minute)).toEqual({ outlier: true });
  });

  it('when the window is flat, then its scale is the floor, so small wiggles are no outliers', () => {
    const check = new SpikeCheck(limits);
    for (let i = 0; i < 40; i++) check.observe(20, i * minute);

    expect(check.observe(20 + 6 * 0.5, 40 * minute).outlier).toBe(false);
    expect(check.observe(20 + 6 * 0.5 + 0.001, 41 * minute).outlier).toBe(true);
  });

  it('when fewer than minReadings readings are known, then nothing is judged', () => {
    const check = new SpikeCheck(limits);
    for (let i = 0; i < 19; i++) check.observe(10, i * minute);

    expect(check.observe(500, 19 * minute)).toEqual({ outlier: false });
  });

  it('when an excursion comes back within maxReadings, then one spike from its first reading is confirmed on the return', () => {
    const { check, next } = primed();

    expect(check.observe(60, next).outlier).toBe(true);
    expect(check.observe(80, next + minute).outlier).toBe(true);
    expect(check.observe(70, next + 2 * minute).outlier).toBe(true);
    const back = check.observe(10.5, next + 3 * minute);

    expect(back.outlier).toBe(false);
    expect(back.spike).toEqual({
      startMs: next,
      endMs: next + 2 * minute,
      readings: 3,
      peak: 80,
      median: 10,
      sd: 1.4826,
      score: (80 - 10) / threshold,
    });
  });

  it('when an excursion outlasts maxReadings, then it is a level shift and never a spike', () => {
    const { check, next } = primed();
    const verdicts = [60, 61, 59, 60, 60.5, 59.5, 60].map((v, i) => check.observe(v, next + i * minute));

    expect(verdicts.slice(0, 3).every((v) => v.outlier)).toBe(true);
    expect(verdicts[3]).toEqual({ outlier: false, levelShift: true });
    expect(verdicts.some((v) => v.spike !== undefined)).toBe(false);
  });

  it('when a reading between the back and the spike thresholds follows an outlier, then the excursion goes on', () => {
    const { check, next } = primed();
    check.observe(60, next);

    expect(check.observe(10 + 3 * 1.4826 + 0.01, next + minute).outlier).toBe(true);
    expect(check.observe(10 + 3 * 1.4826 - 0.01, next + 2 * minute).spike).toMatchObject({ readings: 2 });
  });

  it('when the sensor falls silent during an excursion, then it was a spike and judging starts again afterwards', () => {
    const { check, next } = primed();
    check.observe(60, next);

    expect(check.silence()).toMatchObject({ startMs: next, readings: 1, peak: 60 });
    expect(check.observe(500, next + 60 * minute)).toEqual({ outlier: false });
  });

  it('when the sensor gets stuck, then the window starts again empty and nothing is judged until it refills', () => {
    const { check, next } = primed();
    check.observe(10, next);

    expect(check.stuck(next)).toBeUndefined();
    expect(check.snapshot()).toEqual({ window: [], excursion: null });
    const at = (i: number) => next + (i + 1) * minute;
    for (let i = 0; i < limits.minReadings - 1; i++) check.observe(9 + (i % 3), at(i));

    // One reading short of minReadings after the flatline: not judged, however far.
    expect(check.observe(500, at(limits.minReadings - 1)).outlier).toBe(false);
    expect(check.observe(100, at(limits.minReadings)).outlier).toBe(true);
  });

  it('when the sensor gets stuck during an excursion, then it was a spike if it began before the run, else nothing', () => {
    const before = primed();
    before.check.observe(60, before.next);
    expect(before.check.stuck(before.next + minute)).toMatchObject({ startMs: before.next, readings: 1, peak: 60 });

    const within = primed();
    within.check.observe(60, within.next);
    expect(within.check.stuck(within.next)).toBeUndefined();
  });

  it('when restored from a JSON snapshot at any point, then it gives the same verdicts as the original', () => {
    const value = fc.oneof(fc.double({ min: 8, max: 12, noNaN: true }), fc.constantFrom(40, 90, -30));
    fc.assert(
      fc.property(fc.array(value, { minLength: 30, maxLength: 120 }), fc.nat(), (values, cutSeed) => {
        const cut = cutSeed % values.length;
        const original = new SpikeCheck(limits);
        values.slice(0, cut).forEach((v, i) => original.observe(v, i * minute));
        const restored = new SpikeCheck(limits, JSON.parse(JSON.stringify(original.snapshot())));
        values.slice(cut).forEach((v, j) => {
          const ms = (cut + j) * minute;
          expect(restored.observe(v, ms)).toEqual(original.observe(v, ms));
        });
      }),
    );
  });
});

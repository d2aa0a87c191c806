import { normal, seededRandom } from '../testing/series';

import { StepCheck, type StepLimits } from './step';

const minute = 60_000;
const limits: StepLimits = {
  readings: 20,
  k: 4,
  minChange: 3,
  sharpReadings: 4,
  sharpness: 0.6,
  floor: { absolute: 0.5, relative: 0 },
};

/**
 * 50 + (−0.25, 0, 0.25, 0, …): a level of 50 whose every robust sd is below the 0.5 floor, so a step must
 * exceed max(minChange, 4 × 0.5) = minChange = 3.
 */
const base = (i: number) => 50 + [-0.25, 0, 0.25, 0][i % 4]!;
const threshold = limits.minChange;

/** Feeds `value(i)` for i < n; returns the readings (index) on which a step was reported, with the step. */
function run(value: (i: number) => number, n: number, check = new StepCheck(limits)) {
  const reported: { index: number; step: NonNullable<ReturnType<StepCheck['observe']>> }[] = [];
  for (let i = 0; i < n; i++) {
    const step = check.observe(value(i), i * minute);
    if (step) reported.push({ index: i, step });
  }
  return reported;
}

describe('StepCheck', () => {
  it('when the level shifts by just over the threshold, then one step from its first reading is reported M − 1 readings later', () => {
    const shift = threshold + 0.01;
    const reported = run((i) => base(i) + (i >= 60 ? shift : 0), 140);

    expect(reported).toHaveLength(1);
    expect(reported[0]?.index).toBe(60 + limits.readings - 1);
    expect(reported[0]?.step).toMatchObject({
      startMs: 60 * minute,
      endMs: (60 + limits.readings - 1) * minute,
    });
    expect(reported[0]?.step.before).toBeCloseTo(50, 9);
    expect(reported[0]?.step.after).toBeCloseTo(50 + shift, 9);
    expect(reported[0]?.step.score).toBeCloseTo(shift / threshold, 9);
  });

  it('when the level shifts by just under the threshold, then no step', () => {
    expect(run((i) => base(i) + (i >= 60 ? threshold - 0.01 : 0), 140)).toEqual([]);
  });

  it('when the series is noisy, then a step must clear k times its noise: 3 sd is not a step, 6 sd is', () => {
    const random = seededRandom(5);
    const noise = Array.from({ length: 140 }, () => 1.5 * normal(random));
    const noisy = (shift: number) => (i: number) => 50 + (noise[i] as number) + (i >= 60 ? shift : 0);

    expect(run(noisy(3 * 1.5), 140)).toEqual([]);
    expect(run(noisy(6 * 1.5), 140).map((r) => r.step.startMs)).toEqual([60 * minute]);
  });

  it('when a step happens on a steady ramp, then it is found where it jumps', () => {
    const reported = run((i) => base(i) + 0.3 * i + (i >= 70 ? 8 : 0), 160);

    expect(reported.map((r) => r.step.startMs)).toEqual([70 * minute]);
    const { before = 0, after = 0 } = reported[0]?.step ?? {};
    expect(Math.abs(after - before - 8)).toBeLessThanOrEqual(1);
  });

  it('when the level falls, then the step is found as well', () => {
    const reported = run((i) => base(i) - (i >= 45 ? 8 : 0), 120);

    expect(reported.map((r) => r.step.startMs)).toEqual([45 * minute]);
    expect(reported[0]?.step.after).toBeCloseTo(42, 9);
  });

  it('when single spikes or a short burst hit the series, then no step', () => {
    expect(run((i) => base(i) + (i === 60 ? 100 : 0), 140)).toEqual([]);
    expect(run((i) => base(i) + (i >= 60 && i < 63 ? 40 : 0), 140)).toEqual([]);
  });

  it('when the level rises along a ramp, however far, then no step (the change is not sharp)', () => {
    expect(run((i) => base(i) + (i >= 40 ? Math.min(i - 40, 80) * 0.25 : 0), 200)).toEqual([]);
  });

  it('when the sensor is silent between two levels, then no step across the silence', () => {
    const check = new StepCheck(limits);
    run(base, 60, check);
    check.silence();

    expect(run((i) => base(i) + 10, 60, check)).toEqual([]);
  });

  it('when restored from a JSON snapshot while a change point awaits confirmation, then the same step is reported', () => {
    const value = (i: number) => base(i) + (i >= 60 ? 5 : 0);
    const original = new StepCheck(limits);
    for (let i = 0; i < 72; i++) original.observe(value(i), i * minute);
    const snapshot = JSON.parse(JSON.stringify(original.snapshot()));

    expect(snapshot.pendingAt).not.toBeNull();
    const restored = new StepCheck(limits, snapshot);
    for (let i = 72; i < 100; i++)
      expect(restored.observe(value(i), i * minute)).toEqual(original.observe(value(i), i * minute));
  });
});

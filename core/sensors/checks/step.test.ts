import { normal, seededRandom } from '../testing/series';

import { StepCheck, type StepLimits } from './step';

const minute = 60_000;
const limits: StepLimits = {
  readings: 20,
  k: 4,
  minChange: 3,
  minRelativeChange: 1,
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

  it('when a low level loses two thirds at once, then it is a step under minChange; the same change at a high level is not', () => {
    const relative = new StepCheck({ ...limits, minChange: 10, minRelativeChange: 0.5 });
    const wiggle = (i: number) => [-0.05, 0, 0.05, 0][i % 4]!;
    const low = run((i) => (i >= 60 ? 2 : 6) + wiggle(i), 140, relative);

    expect(low.map((r) => r.step.startMs)).toEqual([60 * minute]);
    expect(low[0]?.step.threshold).toBeCloseTo(0.5 * 6, 1);
    expect(
      run(
        (i) => (i >= 60 ? 46 : 50) + wiggle(i),
        140,
        new StepCheck({ ...limits, minChange: 10, minRelativeChange: 0.5 }),
      ),
    ).toEqual([]);
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

  it('when a smooth plume rises and falls (a raised cosine to +30 over 3 windows), then no step on its flanks', () => {
    // Its flanks are steep where they cross the change point: the few readings around it carry much of the
    // windows' difference, as a step's would, but no more than their neighbours do.
    const plume = (i: number) => (i >= 40 && i < 100 ? 15 * (1 - Math.cos((2 * Math.PI * (i - 40)) / 60)) : 0);

    expect(run((i) => base(i) + plume(i), 220)).toEqual([]);
  });

  it('when the sensor is silent or stuck between two levels, then no step across the restart', () => {
    const check = new StepCheck(limits);
    run(base, 60, check);
    check.restart();

    expect(run((i) => base(i) + 10, 60, check)).toEqual([]);
  });

  it('when a change point awaits confirmation and the check restarts, then that step is never reported', () => {
    const value = (i: number) => base(i) + (i >= 60 ? 5 : 0);
    const check = new StepCheck(limits);
    for (let i = 0; i < 72; i++) check.observe(value(i), i * minute);
    expect(check.snapshot().pendingAt).not.toBeNull();
    check.restart();

    expect(check.snapshot()).toEqual({ values: [], times: [], count: 0, pendingAt: null });
    expect(run((i) => value(i + 72), 60, check)).toEqual([]);
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

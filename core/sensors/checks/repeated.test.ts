import { RepeatCount } from './repeated';

const minute = 60_000;
const t0 = Date.parse('2024-03-01T00:00:00Z');
const at = (minutes: number) => t0 + minutes * minute;

describe('RepeatCount', () => {
  it('when the count is reached within the window, then it holds from the oldest fault in it; older ones fall out', () => {
    const count = new RepeatCount({ windowMs: 60 * minute, count: 3 });

    expect(count.observe(at(0)).reached).toBe(false);
    expect(count.observe(at(50)).reached).toBe(false);
    // 0 is 61 minutes before: out of the window, so 50, 61 are two.
    expect(count.observe(at(61))).toEqual({ firstMs: at(50), inWindow: 2, score: 2 / 3, reached: false });
    expect(count.observe(at(110))).toEqual({ firstMs: at(50), inWindow: 3, score: 1, reached: true });
  });

  it('when a fault is exactly a window before the newest, then it still counts', () => {
    const count = new RepeatCount({ windowMs: 60 * minute, count: 2 });
    count.observe(at(0));

    expect(count.observe(at(60))).toMatchObject({ firstMs: at(0), reached: true });
  });

  it('when a whole window passes after the newest fault, then it has lapsed, not a millisecond before', () => {
    const count = new RepeatCount({ windowMs: 60 * minute, count: 2 });
    count.observe(at(10));

    expect(count.lapsed(at(70))).toBe(false);
    expect(count.lapsed(at(70) + 1)).toBe(true);
    expect(new RepeatCount({ windowMs: 60 * minute, count: 2 }).lapsed(at(70))).toBe(false);
  });

  it('when restored from its snapshot, then it counts on as the one that never stopped', () => {
    const limits = { windowMs: 60 * minute, count: 3 };
    const first = new RepeatCount(limits);
    first.observe(at(5));
    first.observe(at(20));

    const restored = new RepeatCount(limits, JSON.parse(JSON.stringify(first.snapshot())) as number[]);

    expect(restored.observe(at(30))).toEqual(first.observe(at(30)));
  });
});

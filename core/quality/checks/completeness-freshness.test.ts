import { buildContext, type QualityInput } from '../context';
import { syntheticHour, syntheticInput, syntheticRows, syntheticWindow } from '../synthetic-window';

import { checkCompleteness } from './completeness';
import { checkFreshness } from './freshness';

/** Completeness and freshness split one question, "which hours are missing", so they are tested together. */
const judge = (input: QualityInput) => {
  const context = buildContext(input);
  return { completeness: checkCompleteness(context), freshness: checkFreshness(context) };
};

const upTo = (h: number) => syntheticRows().filter((r) => Date.parse(r.observedAt) <= Date.parse(syntheticHour(h)));

describe('completeness and freshness', () => {
  it('when the whole source has lagged 30 hours, then freshness fails and completeness still passes', () => {
    const { completeness, freshness } = judge(syntheticInput(upTo(17)));

    expect(freshness.status).toBe('fail');
    expect(freshness.detail).toContain('by 30 h');
    expect(completeness).toMatchObject({ status: 'pass', violations: 0 });
  });

  it('when one location falls behind the other, then its trailing hours are gaps as well as lag', () => {
    const rows = syntheticRows().filter((r) => r.locationId === 'paris' || r.observedAt < syntheticHour(43));

    const { completeness, freshness } = judge(syntheticInput(rows));

    expect(completeness).toMatchObject({ status: 'warn', violations: 5 });
    expect(completeness.samples).toEqual([{ locationId: 'lyon', observedAt: syntheticHour(43) }]);
    expect(freshness).toMatchObject({ status: 'warn', violations: 1 });
  });

  it('when the window ended days before now, then freshness is not judged and missing last hours are gaps', () => {
    const input = { ...syntheticInput(upTo(43)), now: '2024-03-06T10:30:00Z' };

    const { completeness, freshness } = judge(input);

    expect(freshness).toMatchObject({ status: 'pass', violations: 0 });
    expect(freshness.detail).toMatch(/^not judged/);
    expect(completeness).toMatchObject({ status: 'warn', violations: 8 });
  });

  it('when the window runs past now, then hours after now are not expected and lag is measured to now', () => {
    const input = { ...syntheticInput(upTo(37)), window: { ...syntheticWindow, end: '2024-03-04T00:00:00Z' } };
    input.now = '2024-03-02T17:45:00Z';

    const { completeness, freshness } = judge(input);

    expect(completeness).toMatchObject({ status: 'pass', violations: 0 });
    expect(freshness).toMatchObject({ status: 'warn', violations: 2 });
    expect(freshness.detail).toContain('by 4 h');
    expect(freshness.detail).toContain(`lag behind ${syntheticHour(41)}`);
  });

  it('when a requested location has no row at all, then completeness fails and freshness fails for it', () => {
    const input = { ...syntheticInput(), locationIds: ['paris', 'lyon', 'marseille'] };

    const { completeness, freshness } = judge(input);

    expect(completeness).toMatchObject({ status: 'fail', violations: 48 });
    expect(completeness.samples).toEqual([{ locationId: 'marseille', observedAt: syntheticHour(0) }]);
    expect(freshness).toMatchObject({ status: 'fail', violations: 1 });
  });

  it('when no location has any row, then every started hour is missing', () => {
    const { completeness, freshness } = judge(syntheticInput([]));

    expect(completeness).toMatchObject({ status: 'fail', violations: 96 });
    expect(freshness).toMatchObject({ status: 'fail', violations: 2 });
  });

  it('when the window has not started yet, then nothing is due', () => {
    const input = { ...syntheticInput([]), now: '2024-02-28T00:00:00Z' };

    const { completeness, freshness } = judge(input);

    expect(completeness).toMatchObject({ status: 'pass', detail: 'no hour of the window has started yet' });
    expect(freshness.status).toBe('pass');
  });
});

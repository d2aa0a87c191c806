import type { Reading } from './reading';
import { toHourlySeries } from './series';

const at = (observedAt: string, pm2_5: number | null): Reading => ({
  latitude: 45.7,
  longitude: 4.8,
  observedAt,
  values: { pm2_5 },
  reported: {},
});

describe('toHourlySeries', () => {
  it('when hours are missing or out of order, then the series is contiguous with nulls in the gaps', () => {
    const series = toHourlySeries([
      at('2024-01-01T03:00:00Z', 3),
      at('2024-01-01T00:00:00Z', 0),
      at('2024-01-01T01:00:00Z', null),
    ]);

    expect(series.observedAt).toEqual([
      '2024-01-01T00:00:00Z',
      '2024-01-01T01:00:00Z',
      '2024-01-01T02:00:00Z',
      '2024-01-01T03:00:00Z',
    ]);
    expect(series.values).toEqual({ pm2_5: [0, null, null, 3] });
  });

  it('when an hour appears twice, then it refuses rather than pick one', () => {
    expect(() => toHourlySeries([at('2024-01-01T00:00:00Z', 1), at('2024-01-01T00:00:00Z', 2)])).toThrow(
      /appears twice/,
    );
  });

  it('when there are no readings, then the series is empty', () => {
    expect(toHourlySeries([])).toEqual({ observedAt: [], values: {} });
  });
});

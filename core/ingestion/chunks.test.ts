import { ingestHistoryWorkId, ingestHourlyWorkId } from '../work-ids/work-ids';

import { hoursIn, planHistoryChunks } from './chunks';

describe('backfill chunk plan', () => {
  it('when a year is planned for three locations, then it is one chunk per location and month covering every hour once', () => {
    const chunks = planHistoryChunks(['paris', 'lyon', 'marseille'], '2024-01-01T00:00:00Z', '2024-12-31T23:00:00Z');

    expect(chunks).toHaveLength(36);
    expect(chunks.slice(0, 3)).toEqual([
      { locationId: 'lyon', from: '2024-01-01T00:00:00Z', to: '2024-01-31T23:00:00Z' },
      { locationId: 'marseille', from: '2024-01-01T00:00:00Z', to: '2024-01-31T23:00:00Z' },
      { locationId: 'paris', from: '2024-01-01T00:00:00Z', to: '2024-01-31T23:00:00Z' },
    ]);
    const lyonHours = chunks.filter((c) => c.locationId === 'lyon').reduce((sum, c) => sum + hoursIn(c), 0);
    expect(lyonHours).toBe(8784);
  });

  it('when the range starts and ends inside months, then the first and last chunks are clipped', () => {
    const chunks = planHistoryChunks(['lyon'], '2024-02-28T05:00:00Z', '2024-03-02T10:00:00Z');

    expect(chunks).toEqual([
      { locationId: 'lyon', from: '2024-02-28T05:00:00Z', to: '2024-02-29T23:00:00Z' },
      { locationId: 'lyon', from: '2024-03-01T00:00:00Z', to: '2024-03-02T10:00:00Z' },
    ]);
  });

  it('when the range is not on whole hours or reversed, then planning refuses', () => {
    expect(() => planHistoryChunks(['lyon'], '2024-01-01T00:30:00Z', '2024-01-02T00:00:00Z')).toThrow(/whole UTC hour/);
    expect(() => planHistoryChunks(['lyon'], '2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z')).toThrow(/before/);
  });
});

describe('workflow ids', () => {
  it('when the same work is asked twice in any location order, then the id is the same', () => {
    expect(ingestHistoryWorkId(['paris', 'lyon'], '2024-01-01T00:00:00Z', '2024-12-31T23:00:00Z')).toBe(
      ingestHistoryWorkId(['lyon', 'paris', 'lyon'], '2024-01-01T00:00:00Z', '2024-12-31T23:00:00Z'),
    );
    expect(ingestHourlyWorkId(['lyon'], '2024-01-01T05:00:00Z')).toBe('ingest-hourly-lyon-2024-01-01T05');
  });

  it("when many or long location ids are asked, then the id stays far below Temporal's 1000 bytes and still tells sets apart", () => {
    const many = Array.from({ length: 60 }, (_, i) => `place-number-${i}-with-a-long-name`);
    const id = ingestHistoryWorkId(many, '2024-01-01T00:00:00Z', '2024-12-31T23:00:00Z');
    expect(id.length).toBeLessThan(300);
    expect(id).toMatch(
      /^ingest-history-place-number-0-with-a-long-name-and-59-more-[0-9a-f]{8}-2024-01-01T00-2024-12-31T23$/,
    );
    expect(ingestHistoryWorkId([...many].reverse(), '2024-01-01T00:00:00Z', '2024-12-31T23:00:00Z')).toBe(id);
    expect(ingestHistoryWorkId(many.slice(1), '2024-01-01T00:00:00Z', '2024-12-31T23:00:00Z')).not.toBe(id);
    expect(ingestHourlyWorkId(['a'.repeat(5000)], '2024-01-01T05:00:00Z').length).toBeLessThan(300);
  });
});

import { describe, expect, it } from '@jest/globals';

import { accuracyCells, championAccuracy, type AccuracyEntry, type LineupModel } from './accuracy';

const entry = (over: Partial<AccuracyEntry>): AccuracyEntry => ({
  modelName: 'aqi-eaqi-forecast-24h',
  modelVersion: '3',
  horizonHours: 24,
  from: '2024-12-25T00:00:00Z',
  to: '2025-01-01T00:00:00Z',
  resolved: 96,
  hours: 48,
  pending: 0,
  ...over,
});

const lineup: LineupModel[] = [
  { name: 'aqi-eaqi-instant', champion: { version: '7', holdout: { test_mae: 2.5 } } },
  { name: 'aqi-eaqi-forecast-24h', champion: { version: '3', holdout: { test_mae: 5 } } },
  { name: 'aqi-eaqi-forecast-48h' },
];

describe("the champions' live accuracy in the models view", () => {
  it("when the log holds the champion and an older version, then only the champion's rows show, per horizon, with the API's holdout and ratio", () => {
    const accuracy = [
      entry({ horizonHours: 24, mae: 6.5, holdoutMae: 5.2, ratio: 1.25 }),
      entry({ horizonHours: 12, mae: 4, holdoutMae: 5.2, ratio: 4 / 5.2 }),
      entry({ modelVersion: '2', mae: 40, holdoutMae: 5, ratio: 8 }),
    ];

    const rows = championAccuracy(lineup, accuracy);

    expect(rows.map((r) => [r.model, r.version, r.live?.horizonHours])).toEqual([
      ['aqi-eaqi-instant', '7', undefined],
      ['aqi-eaqi-forecast-24h', '3', 12],
      ['aqi-eaqi-forecast-24h', '3', 24],
    ]);
    expect(accuracyCells(rows[2] as (typeof rows)[number])).toEqual({
      horizon: '+24 h',
      liveMae: '6.50',
      holdoutMae: '5.20',
      ratio: '1.25×',
      basis: '96 predictions over 48 h, 2024-12-25T00 to 2025-01-01T00',
    });
  });

  it('when a champion has nothing logged, then its row says so and keeps its holdout MAE from the lineup', () => {
    const [instant] = championAccuracy(lineup, []);

    expect(instant).toEqual({ model: 'aqi-eaqi-instant', version: '7', holdoutMae: 2.5 });
    expect(accuracyCells(instant as NonNullable<typeof instant>)).toEqual({
      horizon: '—',
      liveMae: '—',
      holdoutMae: '2.50',
      ratio: '—',
      basis: 'no prediction logged yet',
    });
  });

  it("when the API has no holdout for a version, then the lineup's test_mae is used and the ratio computed from it", () => {
    const rows = championAccuracy(lineup, [entry({ mae: 7.5, pending: 3 })]);
    const forecast = rows.find((r) => r.model === 'aqi-eaqi-forecast-24h');

    expect(forecast).toMatchObject({ holdoutMae: 5, ratio: 1.5 });
    expect(accuracyCells(forecast as NonNullable<typeof forecast>).basis).toMatch(/, 3 waiting$/);
  });

  it('when every prediction still waits for its hour, then no live MAE and no ratio are shown', () => {
    const rows = championAccuracy(lineup, [entry({ resolved: 0, hours: 0, pending: 5 })]);
    const cells = accuracyCells(rows.find((r) => r.model === 'aqi-eaqi-forecast-24h') as (typeof rows)[number]);

    expect(cells).toMatchObject({ liveMae: '—', ratio: '—', holdoutMae: '5.00' });
    expect(cells.basis).toBe('no resolved prediction yet (5 waiting for their hour)');
  });
});

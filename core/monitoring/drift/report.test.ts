import { AppError } from '../../errors';

import { driftReport } from './report';

/** Deterministic pseudo-random values in [0, 1) (a small LCG), so the cases need no fixture. */
function uniform(n: number, seed: number, shift = 0): Float64Array {
  let state = seed;
  return Float64Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 + shift;
  });
}

describe('driftReport', () => {
  it('when a column picks its test, then it follows reference size and unique values as Evidently does', () => {
    const reference = {
      small: uniform(200, 1),
      large: uniform(1500, 2),
      binary: Array.from({ length: 200 }, (_, i) => i % 2),
      five: Array.from({ length: 200 }, (_, i) => i % 5),
      category: Array.from({ length: 200 }, (_, i) => ['a', 'b', 'c'][i % 3] ?? null),
      bigCategory: Array.from({ length: 1200 }, (_, i) => ['a', 'b'][i % 2] ?? null),
    };
    const current = {
      small: uniform(150, 3),
      large: uniform(100, 4),
      binary: [0, 1, 1],
      five: [0, 1, 2, 3, 4],
      category: ['a', 'b'],
      bigCategory: ['a'],
    };
    const report = driftReport(reference, current, {
      columns: [
        { name: 'small', type: 'numerical' },
        { name: 'large', type: 'numerical' },
        { name: 'binary', type: 'numerical' },
        { name: 'five', type: 'numerical' },
        { name: 'category', type: 'categorical' },
        { name: 'bigCategory', type: 'categorical' },
      ],
    });

    expect(report.columns.map((c) => (c.status === 'tested' ? c.method : c.status))).toEqual([
      'ks',
      'wasserstein',
      'z',
      'chisquare',
      'chisquare',
      'jensenshannon',
    ]);
  });

  it('when the current window is shifted, then the column drifts and so does the dataset', () => {
    const report = driftReport(
      { pm25: uniform(300, 5) },
      { pm25: uniform(300, 6, 0.3) },
      { columns: [{ name: 'pm25', type: 'numerical' }] },
    );

    expect(report.columns[0]).toMatchObject({ status: 'tested', method: 'ks', threshold: 0.05, drifted: true });
    expect(report.dataset).toEqual({
      columns: 1,
      driftedColumns: 1,
      notEnoughDataColumns: 0,
      driftedShare: 1,
      driftShare: 0.5,
      datasetDrift: true,
    });
  });

  it('when a window has too few values for a column, then it is not_enough_data and counts as not drifted', () => {
    const report = driftReport(
      { pm25: uniform(300, 7), no2: [Number.NaN, Infinity, null] },
      { pm25: uniform(300, 8, 0.5), no2: uniform(50, 9, 5) },
      {
        columns: [
          { name: 'pm25', type: 'numerical' },
          { name: 'no2', type: 'numerical' },
        ],
        driftShare: 0.6,
      },
    );

    expect(report.columns[1]).toEqual({
      column: 'no2',
      type: 'numerical',
      referenceRows: 0,
      currentRows: 50,
      status: 'not_enough_data',
      reason: 'reference has 0 values once NaN and ±Infinity are dropped; at least 1 needed',
      drifted: false,
    });
    expect(report.dataset).toMatchObject({ driftedColumns: 1, notEnoughDataColumns: 1, driftedShare: 0.5 });
    expect(report.dataset.datasetDrift).toBe(false);
  });

  it('when minRows is raised, then a window below it is not_enough_data even where Evidently would test', () => {
    const report = driftReport(
      { co: [1, 2, 3] },
      { co: [10, 20, 30] },
      { columns: [{ name: 'co', type: 'numerical' }], minRows: 5 },
    );

    expect(report.columns[0]).toMatchObject({ status: 'not_enough_data', drifted: false });
    expect(report.columns[0]).toHaveProperty('reason', expect.stringMatching(/reference has 3, current has 3/));
  });

  it('when a method and a threshold are named, then they replace the default choice', () => {
    const report = driftReport(
      { pm25: uniform(300, 10) },
      { pm25: uniform(300, 11, 0.05) },
      { columns: [{ name: 'pm25', type: 'numerical', method: 'psi', threshold: 0.5 }] },
    );

    expect(report.columns[0]).toMatchObject({ method: 'psi', methodLabel: 'PSI', threshold: 0.5, drifted: false });
  });

  it.each([
    [{ columns: [] }, /invalid drift options/],
    [
      {
        columns: [
          { name: 'a', type: 'numerical' },
          { name: 'a', type: 'numerical' },
        ],
      },
      /column names must be unique/,
    ],
    [{ columns: [{ name: 'a', type: 'numerical', method: 'chisquare' }] }, /chisquare does not apply to a numerical/],
    [{ columns: [{ name: 'a', type: 'numerical' }], driftShare: 0 }, /invalid drift options/],
    [{ columns: [{ name: 'b', type: 'numerical' }] }, /column b is missing from the reference window/],
  ] as const)('when the options are %j, then the report is refused with a 400', (options, message) => {
    const run = () => driftReport({ a: [1, 2] }, { a: [1, 2] }, options as never);

    expect(run).toThrow(message);
    expect(run).toThrow(AppError);
    try {
      run();
    } catch (err) {
      expect((err as AppError).httpStatus).toBe(400);
    }
  });
});

import { formatScore, renderDriftReportHtml } from './html';
import { championDriftReport, type ChampionReportInput, type MonitoredRows } from './report';
import { monitoringSettings } from './settings';

/** Deterministic values in [0, 1) (a small LCG), so the cases need no fixture. */
function uniform(n: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: n }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  });
}

const names = ['pm2_5', 'uv_index'];

function rows(n: number, seed: number, shift = 0): MonitoredRows {
  const a = uniform(n, seed);
  const b = uniform(n, seed + 100);
  return {
    x: a.map((v, i) => [v * 20 + shift, (b[i] ?? 0) * 8]),
    predictions: a.map((v) => v * 30 + shift),
    target: a.map((v, i) => (i % 4 === 0 ? undefined : v * 30)),
  };
}

function input(current: MonitoredRows, overrides: Partial<ChampionReportInput> = {}): ChampionReportInput {
  return {
    model: {
      name: 'aqi-eaqi-instant',
      version: '3',
      kind: 'instant',
      horizonHours: 0,
      algorithm: 'random-forest',
      runId: 'r1',
    },
    reference: {
      sha256: 'ab'.repeat(32),
      snapshotRows: 500,
      from: '2024-01-01T00:00:00Z',
      to: '2024-02-01T00:00:00Z',
      locationIds: ['lyon'],
    },
    current: { from: '2024-03-01T00:00:00Z', to: '2024-03-08T00:00:00Z', locationIds: ['lyon'] },
    featureNames: names,
    referenceRows: rows(500, 1),
    currentRows: current,
    settings: monitoringSettings.parse({}),
    ...overrides,
  };
}

describe('championDriftReport', () => {
  it('when the current window comes from the same distribution, then no column and no dataset drift', () => {
    const report = championDriftReport(input(rows(168, 7)));

    expect(report.features.columns.map((c) => [c.column, c.status, c.drifted])).toEqual([
      ['pm2_5', 'tested', false],
      ['uv_index', 'tested', false],
    ]);
    expect(report.prediction).toMatchObject({ column: 'prediction', status: 'tested', method: 'ks', drifted: false });
    expect(report.target).toMatchObject({ column: 'target', status: 'tested', referenceRows: 375, drifted: false });
    expect(report.verdict).toMatchObject({ datasetDrift: false, predictionDrift: false, targetDrift: false });
    expect(report.current).toMatchObject({ rows: 168, rowsWithTarget: 126 });
    expect(report.reference.rows).toBe(500);
  });

  it('when one feature and the prediction move, then they drift and the dataset share follows the preset', () => {
    const current = rows(168, 7);
    const moved: MonitoredRows = {
      ...current,
      x: current.x.map(([pm, uv]) => [(pm ?? 0) + 8, uv ?? 0]),
      predictions: current.predictions.map((p) => p + 12),
    };
    const report = championDriftReport(input(moved));

    expect(report.features.columns.map((c) => c.drifted)).toEqual([true, false]);
    // 1 of 2 columns is a share of 0.5: dataset drift at Evidently's drift_share (≥ 0.5).
    expect(report.features.dataset).toMatchObject({ driftedColumns: 1, driftedShare: 0.5, datasetDrift: true });
    expect(report.verdict.predictionDrift).toBe(true);
    expect(report.verdict.summary).toMatch(
      /^dataset drift: 1 of 2 features drifted.*prediction drifted; no target drift$/,
    );
  });

  it('when a window holds fewer rows than minRows, then each column is not enough data, never drift', () => {
    const few = rows(12, 9, 50);
    const report = championDriftReport(input(few));

    for (const column of [...report.features.columns, report.prediction, report.target]) {
      expect(column).toMatchObject({ status: 'not_enough_data', drifted: false });
    }
    expect(report.features.dataset).toMatchObject({ notEnoughDataColumns: 2, datasetDrift: false });
    expect(report.verdict.summary).toContain('prediction: not enough data');
  });

  it('when the actual index is not stored yet, then only the target is not enough data', () => {
    const current = rows(168, 7);
    const report = championDriftReport(input({ ...current, target: current.target.map(() => undefined) }));

    expect(report.target).toMatchObject({ status: 'not_enough_data', currentRows: 0 });
    expect(report.prediction.status).toBe('tested');
    expect(report.features.dataset.notEnoughDataColumns).toBe(0);
  });

  it('when minRows is lowered, then a small window is tested', () => {
    const report = championDriftReport(input(rows(12, 9), { settings: monitoringSettings.parse({ minRows: 5 }) }));

    expect(report.features.columns.every((c) => c.status === 'tested')).toBe(true);
  });
});

describe('renderDriftReportHtml', () => {
  const report = championDriftReport(input(rows(168, 7, 6)));
  const html = renderDriftReportHtml(report);

  it("shows every column's method, score, threshold and decision, and the dataset verdict", () => {
    for (const column of [...report.features.columns, report.prediction, report.target]) {
      if (column.status !== 'tested') throw new Error(`${column.column} was not tested`);
      const row = html.split('<tr>').find((r) => r.includes(`<td class="name">${column.column}</td>`));
      expect(row).toBeDefined();
      expect(row).toContain(column.methodLabel);
      expect(row).toContain(formatScore(column.score));
      expect(row).toContain(column.drifted ? 'drift detected' : 'no drift');
    }
    expect(html).toContain(report.features.dataset.datasetDrift ? 'Dataset drift detected' : 'No dataset drift');
  });

  it('needs nothing from outside: no URL, script, stylesheet link or image source', () => {
    expect(html).not.toMatch(/https?:|\/\/[a-z]|<script|<link|<img|src=|url\(|@import/i);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html.match(/<svg /g)).toHaveLength(report.features.columns.length + 2);
  });

  it('writes not enough data with its reason', () => {
    const page = renderDriftReportHtml(championDriftReport(input(rows(10, 3))));

    expect(page).toContain('not enough data');
    expect(page).toContain('at least 30 needed');
  });

  it('escapes what comes from the registry', () => {
    const page = renderDriftReportHtml(
      championDriftReport(
        input(rows(168, 7), { reference: { ...input(rows(1, 1)).reference, locationIds: ['<b>x</b>'] } }),
      ),
    );

    expect(page).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(page).not.toContain('<b>x</b>');
  });
});

import escapeHtml from 'escape-html';

import type { LiveAccuracy } from '../accuracy/live-accuracy';
import type { ColumnDrift } from '../drift/report';

import type { Histogram } from './histogram';
import { predictionColumn, targetColumn, type ChampionDriftReport } from './report';

/**
 * The drift report as one self-contained HTML page: inline CSS, inline SVG histograms, no script, no font,
 * no image and no link to fetch, so it opens offline from an MLflow download or a mail attachment. Per
 * column: the method, the score, the threshold and the decision, with reference and current on shared bins.
 */

/** A score as the report prints it: four decimals, or three significant digits below 0.001. */
export const formatScore = (value: number): string =>
  !Number.isFinite(value)
    ? String(value)
    : Math.abs(value) >= 1e-3 || value === 0
      ? value.toFixed(4)
      : value.toExponential(3);

const colours = { reference: '#4c78a8', current: '#f58518' } as const;

function chart(histogram: Histogram | undefined): string {
  if (!histogram || histogram.edges.length === 0) return '<span class="muted">no values</span>';
  const width = 240;
  const height = 64;
  const bins = histogram.reference.length;
  const top = Math.max(...histogram.reference, ...histogram.current, 1e-12);
  const barWidth = width / bins / 2;
  const bars = (shares: number[], offset: number, colour: string) =>
    shares
      .map((share, i) => {
        const h = (share / top) * (height - 2);
        const x = i * 2 * barWidth + offset;
        return `<rect x="${x.toFixed(1)}" y="${(height - h).toFixed(1)}" width="${(barWidth - 0.5).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"/>`;
      })
      .join('');
  const lo = histogram.edges[0] ?? 0;
  const hi = histogram.edges.at(-1) ?? 0;
  return (
    `<svg width="${width}" height="${height + 14}" role="img" aria-label="histogram from ${formatScore(lo)} to ${formatScore(hi)}">` +
    bars(histogram.reference, 0, colours.reference) +
    bars(histogram.current, barWidth, colours.current) +
    `<text x="0" y="${height + 12}" class="axis">${escapeHtml(formatScore(lo))}</text>` +
    `<text x="${width}" y="${height + 12}" text-anchor="end" class="axis">${escapeHtml(formatScore(hi))}</text></svg>`
  );
}

function decision(column: ColumnDrift): string {
  if (column.status === 'not_enough_data') {
    return `<span class="badge none">not enough data</span><div class="muted">${escapeHtml(column.reason)}</div>`;
  }
  return column.drifted ? '<span class="badge drift">drift detected</span>' : '<span class="badge ok">no drift</span>';
}

function row(column: ColumnDrift, histogram: Histogram | undefined): string {
  const tested = column.status === 'tested';
  return [
    '<tr>',
    `<td class="name">${escapeHtml(column.column)}</td>`,
    `<td>${tested ? escapeHtml(column.methodLabel) : '—'}</td>`,
    `<td class="num">${tested ? formatScore(column.score) : '—'}</td>`,
    `<td class="num">${tested ? `${column.scoreKind === 'p_value' ? '≤' : '≥'} ${formatScore(column.threshold)}` : '—'}</td>`,
    `<td>${decision(column)}</td>`,
    `<td class="num">${column.referenceRows} / ${column.currentRows}</td>`,
    `<td>${chart(histogram)}</td>`,
    '</tr>',
  ].join('');
}

function table(title: string, columns: readonly ColumnDrift[], histograms: ChampionDriftReport['histograms']): string {
  return [
    `<h2>${escapeHtml(title)}</h2>`,
    '<table><thead><tr><th>column</th><th>method</th><th>score</th><th>drift when</th><th>decision</th>',
    '<th>rows (reference / current)</th><th>distribution</th></tr></thead><tbody>',
    ...columns.map((c) => row(c, histograms[c.column])),
    '</tbody></table>',
  ].join('');
}

const mae = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2));

/** Live accuracy: the version's served predictions for real hours of the window against their actuals. */
function accuracyTable(rows: readonly LiveAccuracy[] | undefined): string {
  const head = "<h2>Live accuracy (predictions logged for the window's hours, against their actuals)</h2>";
  if (!rows || rows.length === 0)
    return `${head}<p class="muted">no prediction of this version was logged for these hours</p>`;
  return [
    head,
    '<table><thead><tr><th>horizon</th><th>target hours</th><th>predictions (resolved / waiting)</th>',
    '<th>hours with actual</th><th>live MAE</th><th>holdout MAE</th><th>live / holdout</th></tr></thead><tbody>',
    ...rows.map((a) =>
      [
        '<tr>',
        `<td>+${a.horizonHours} h</td>`,
        `<td>${escapeHtml(`${a.from} – ${a.to}`)}</td>`,
        `<td class="num">${a.resolved} / ${a.pending}</td>`,
        `<td class="num">${a.hours}</td>`,
        `<td class="num">${mae(a.mae)}</td>`,
        `<td class="num">${mae(a.holdoutMae)}</td>`,
        `<td class="num">${a.ratio === undefined ? '—' : `${a.ratio.toFixed(2)}×`}</td>`,
        '</tr>',
      ].join(''),
    ),
    '</tbody></table>',
  ].join('');
}

const style = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:middle}
th{background:#f4f4f4;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}.name{font-family:ui-monospace,monospace}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.drift{background:#fde2e1;color:#a4161a}.ok{background:#ddf4e4;color:#1b6e3a}.none{background:#eee;color:#555}
.muted{color:#666;font-size:12px}.verdict{padding:12px;border-radius:6px;margin:12px 0}
.verdict.drift{border:1px solid #a4161a}.verdict.ok{border:1px solid #1b6e3a}
.axis{font-size:9px;fill:#666}.key span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}dt{color:#666}
`;

export function renderDriftReportHtml(report: ChampionDriftReport): string {
  const { model, reference, current, verdict, features } = report;
  const title = `Drift report: ${model.name} version ${model.version}`;
  const facts: [string, string][] = [
    ['model', `${model.name} v${model.version} (${model.kind}, +${model.horizonHours} h, ${model.algorithm})`],
    [
      'reference',
      `training snapshot ${reference.from} – ${reference.to}, ${reference.locationIds.join(', ')}: ${reference.rows} rows (sha256 ${reference.sha256})`,
    ],
    [
      'current',
      `${current.from} – ${current.to}, ${current.locationIds.join(', ')}: ${current.rows} rows, ${current.rowsWithTarget} with their actual index`,
    ],
    [
      'settings',
      `dataset drift when ≥ ${report.settings.driftShare} of the features drift; fewer than ${report.settings.minRows} values on a side: not enough data`,
    ],
  ];
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title><style>${style}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
    `<div class="verdict ${verdict.datasetDrift ? 'drift' : 'ok'}"><strong>${verdict.datasetDrift ? 'Dataset drift detected' : 'No dataset drift'}</strong>: `,
    `${features.dataset.driftedColumns} of ${features.dataset.columns} features drifted (share ${formatScore(features.dataset.driftedShare)}, threshold ${features.dataset.driftShare}).`,
    `<div class="muted">${escapeHtml(verdict.summary)}</div></div>`,
    `<div class="key muted">charts: share of rows per bin, <span style="background:${colours.reference}"></span>reference<span style="background:${colours.current}"></span>current</div>`,
    table('Prediction and target', [report.prediction, report.target], report.histograms),
    table('Features', features.columns, report.histograms),
    accuracyTable(report.accuracy),
    `<p class="muted">Columns ${escapeHtml(predictionColumn)} (the served index) and ${escapeHtml(targetColumn)} (the actual index at the target hour). Tests and thresholds: Evidently 0.7 DataDriftPreset defaults.</p>`,
    '</body></html>',
  ].join('\n');
}

/**
 * How often Evidently's default verdicts call drift on windows drawn at random from the champion's own
 * training snapshot (Lyon 2024, instant features): the false-alarm rate of the champion monitor by window
 * length. `npx tsx bench/champion-drift-noise.ts [--draws 200]`; figures in docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

import { bundledExports } from '../config/bundled-data';
import { parseOpenMeteoCsv } from '../core/air-quality/open-meteo/csv';
import { buildExamples, featureSpecFor } from '../core/ml/features';
import { monitoringDefaults } from '../core/monitoring/champion/settings';
import { driftReport } from '../core/monitoring/drift/report';

const { values } = parseArgs({ options: { draws: { type: 'string', default: '200' } } });
const draws = Number(values.draws);
const year = parseOpenMeteoCsv(readFileSync(bundledExports.lyon2024, 'utf8'));
const spec = featureSpecFor('instant', 0);
const examples = buildExamples([{ locationId: 'lyon', readings: year }], spec);
const columns = spec.names.map((name) => ({ name, type: 'numerical' as const }));
const frame = (x: readonly number[][]) => Object.fromEntries(spec.names.map((n, i) => [n, x.map((r) => r[i] ?? NaN)]));
const reference = frame(examples.x);

console.log(`reference: ${examples.x.length} rows of ${spec.names.join(', ')}; ${draws} draws per window`);
for (const days of [7, 14, 30]) {
  const rows = days * 24;
  let datasetDrift = 0;
  let anyColumn = 0;
  for (let seed = 1; seed <= draws; seed++) {
    const rng = xoroshiro128plus(seed);
    for (let i = 0; i < 32; i++) uniformInt(rng, 0, 1);
    const x = Array.from({ length: rows }, () => examples.x[uniformInt(rng, 0, examples.x.length - 1)] ?? []);
    const report = driftReport(reference, frame(x), { columns, minRows: monitoringDefaults.minRows });
    if (report.dataset.datasetDrift) datasetDrift++;
    if (report.dataset.driftedColumns > 0) anyColumn++;
  }
  console.log(
    `${days} days (${rows} rows): dataset drift in ${datasetDrift}/${draws} (${((100 * datasetDrift) / draws).toFixed(1)} %), a drifted column in ${anyColumn}/${draws}`,
  );
}

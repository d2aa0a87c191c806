/**
 * Benchmark: the drift report (core/monitoring/drift, issue 14) on seeded synthetic data.
 *
 *   npm run bench:drift            (about 5 s)
 *
 * 1. The target: 100,000 reference × 100,000 current rows of 10 numerical columns (normal values,
 *    half the columns shifted), so every column takes the Wasserstein path; target ≤ 2 s.
 * 2. The KS paths Evidently picks for a reference of ≤ 1,000 rows: 1,000 × 10,000 (the largest exact p-value
 *    scipy computes) and 1,000 × 100,000 (asymptotic), 10 columns each.
 * Each case runs 5 times after one warm-up; min and median wall time are printed as a Markdown table for
 * docs/benchmarks.md. Data generation is not timed.
 */
import { performance } from 'node:perf_hooks';

import { driftReport, type DriftReport } from '../core/monitoring/drift/report';

/** mulberry32: a small seeded generator, so every run sees the same data. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normal values by Box–Muller, rounded to 0.01 like a sensor's resolution (so ties occur). */
function normals(n: number, mean: number, random: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out[i] = Math.round((mean + 10 * z) * 100) / 100;
  }
  return out;
}

function windows(referenceRows: number, currentRows: number, columns: number, seed: number) {
  const random = generator(seed);
  const names = Array.from({ length: columns }, (_, i) => `feature_${i}`);
  const reference = Object.fromEntries(names.map((name) => [name, normals(referenceRows, 50, random)]));
  const current = Object.fromEntries(names.map((name, i) => [name, normals(currentRows, i % 2 ? 52 : 50, random)]));
  return { reference, current, options: { columns: names.map((name) => ({ name, type: 'numerical' as const })) } };
}

function time(label: string, referenceRows: number, currentRows: number, seed: number): string {
  const { reference, current, options } = windows(referenceRows, currentRows, 10, seed);
  let report: DriftReport = driftReport(reference, current, options);
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    report = driftReport(reference, current, options);
    times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  const methods = [...new Set(report.columns.map((c) => (c.status === 'tested' ? c.method : c.status)))].join(', ');
  const fmt = (s: number) => `${s.toFixed(3)} s`;
  console.error(`[bench:drift] ${label}: ${times.map(fmt).join(', ')}`);
  return `| ${label} | ${referenceRows.toLocaleString('en')} × ${currentRows.toLocaleString('en')} × 10 | ${methods} | ${report.dataset.driftedColumns} of 10 | ${fmt(times[0] ?? 0)} | ${fmt(times[2] ?? 0)} |`;
}

const rows = [
  time('target: Wasserstein (reference > 1,000)', 100_000, 100_000, 14),
  time('KS, exact p-value', 1_000, 10_000, 15),
  time('KS, asymptotic p-value', 1_000, 100_000, 16),
];
console.log('| case | reference × current × columns | method | drifted | min | median |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);

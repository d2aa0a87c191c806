import { readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import {
  driftTableJson,
  lyonDriftCases,
  lyonYear,
  monitoredCurrentRows,
  monitoredReferenceRows,
  sha256,
  trainLyonChampion,
} from '../../../test/support/lyon-drift-cases';
import type { Model } from '../../ml/models';
import { driftMethods } from '../drift/methods';
import type { ColumnDrift } from '../drift/report';

import { championDriftReport, type MonitoredRows } from './report';
import { monitoringSettings } from './settings';

/**
 * Issue 14's acceptance: on the bundled Lyon data (Open-Meteo.com, CAMS, CC BY 4.0) our champion report
 * decides as Evidently 0.7.23's DataDriftPreset does on the same two samples: the 30-day random samples of the
 * snapshot (seeds 1–5), and seeded weeks with and without PM × 1.4 on days 3–5. Evidently's outcomes come from
 * `npm run drift:golden` (test/drift/make_lyon_golden.py), run on tables written by the same
 * test/support/lyon-drift-cases.ts this test builds them with; the tables are not committed, their sha256 is,
 * so a change in the data, the features, the model or the sampling fails here before any verdict is compared.
 */

const evidentlyColumn = z.object({
  column: z.string(),
  method: z.enum(driftMethods),
  methodDisplayName: z.string(),
  threshold: z.number(),
  score: z.number(),
  drifted: z.boolean(),
});
const lyonGolden = z.object({
  generator: z.object({ evidently: z.string(), data: z.string() }).loose(),
  reference: z.object({ rows: z.number(), sha256: z.string().length(64), features: z.array(z.string()) }),
  cases: z
    .array(
      z.object({
        name: z.string(),
        current: z.object({ rows: z.number(), sha256: z.string().length(64) }),
        features: z.object({
          columns: z.array(evidentlyColumn),
          driftedCount: z.number(),
          driftedShare: z.number(),
          datasetDrift: z.boolean(),
        }),
        prediction: evidentlyColumn,
        target: evidentlyColumn,
      }),
    )
    .min(1),
});

const file = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'drift', 'lyon-2024-evidently.json');
const golden = lyonGolden.parse(JSON.parse(readFileSync(file, 'utf8')));
const regenerate = 'the tables differ from those Evidently judged: rerun `npm run drift:golden` and review the diff';

const tolerance = 1e-6;

function expectTableJudged(table: string, judged: string, what: string): void {
  const ours = sha256(table);
  if (ours !== judged) throw new Error(`${what}: sha256 ${ours}, Evidently judged ${judged}; ${regenerate}`);
}

function expectSameColumn(ours: ColumnDrift | undefined, theirs: z.infer<typeof evidentlyColumn>): void {
  expect(ours).toMatchObject({ column: theirs.column, status: 'tested' });
  if (ours?.status !== 'tested') return;
  expect({ method: ours.method, threshold: ours.threshold, drifted: ours.drifted }).toEqual({
    method: theirs.method,
    threshold: theirs.threshold,
    drifted: theirs.drifted,
  });
  expect(Math.abs(ours.score - theirs.score)).toBeLessThanOrEqual(tolerance);
}

describe('champion drift on Lyon 2024 against Evidently (test/fixtures/drift/lyon-2024-evidently.json)', () => {
  let model: Model;
  let reference: MonitoredRows;
  const cases = lyonDriftCases();

  beforeAll(() => {
    model = trainLyonChampion();
    reference = monitoredReferenceRows(model);
  });

  it('when the reference table is rebuilt from the bundled CSV, then it is the one Evidently judged', () => {
    expect(model.spec.names).toEqual(golden.reference.features);
    expect(reference.x.length).toBe(golden.reference.rows);
    expectTableJudged(driftTableJson(model, reference), golden.reference.sha256, 'reference');
  });

  it('when the cases are listed, then they are the generator’s, in its order, with both verdicts represented', () => {
    expect(cases.map((c) => c.name)).toEqual(golden.cases.map((c) => c.name));
    expect(golden.cases.some((c) => c.features.datasetDrift)).toBe(true);
    expect(golden.cases.some((c) => !c.features.datasetDrift)).toBe(true);
  });

  it('when Evidently judged the samples, then it too finds no dataset drift in 30 days and both PM features shifted', () => {
    const drifted = (c: (typeof golden.cases)[number], column: string) =>
      c.features.columns.find((k) => k.column === column)?.drifted;
    const months = golden.cases.filter((c) => c.name.startsWith('30 days'));
    const shifted = golden.cases.filter((c) => c.name.includes('PM x1.4'));

    expect(months).toHaveLength(5);
    expect(months.every((c) => !c.features.datasetDrift && !c.prediction.drifted)).toBe(true);
    expect(shifted).toHaveLength(5);
    expect(shifted.every((c) => drifted(c, 'log10_pm2_5') && drifted(c, 'log10_pm10'))).toBe(true);
  });

  it.each(golden.cases.map((expected, i) => ({ expected, i, name: expected.name })))(
    'when $name is reported, then every column, the prediction, the target and the dataset verdict equal Evidently',
    ({ expected, i }) => {
      const c = cases[i];
      if (!c) throw new Error(`no case ${i} (${expected.name}) in test/support/lyon-drift-cases.ts`);
      const current = monitoredCurrentRows(model, c);
      expect(current.x.length).toBe(expected.current.rows);
      expectTableJudged(driftTableJson(model, current), expected.current.sha256, expected.name);

      const report = championDriftReport({
        model: {
          name: 'aqi-eaqi-instant',
          version: '1',
          kind: 'instant',
          horizonHours: 0,
          algorithm: 'random-forest',
          runId: 'r',
        },
        reference: {
          sha256: golden.reference.sha256,
          snapshotRows: lyonYear.length,
          from: '2024-01-01T00:00:00Z',
          to: '2025-01-01T00:00:00Z',
          locationIds: ['lyon'],
        },
        current: { ...c.window, locationIds: ['lyon'] },
        featureNames: model.spec.names,
        referenceRows: reference,
        currentRows: current,
        settings: monitoringSettings.parse({}),
      });

      expect(report.features.columns).toHaveLength(expected.features.columns.length);
      expected.features.columns.forEach((theirs, k) => expectSameColumn(report.features.columns[k], theirs));
      expectSameColumn(report.prediction, expected.prediction);
      expectSameColumn(report.target, expected.target);
      expect(report.features.dataset.driftedColumns).toBe(expected.features.driftedCount);
      expect(report.features.dataset.driftedShare).toBeCloseTo(expected.features.driftedShare, 12);
      expect(report.verdict.datasetDrift).toBe(expected.features.datasetDrift);
    },
  );
});

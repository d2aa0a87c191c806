import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

import { bundledExports } from '../../config/bundled-data';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import { formatObservedAt, type Reading } from '../../core/air-quality/reading';
import { buildExamples, featureSpecFor } from '../../core/ml/features';
import { trainingParams, trainModel, type Model } from '../../core/ml/models';
import { predictionColumn, targetColumn, type MonitoredRows } from '../../core/monitoring/champion/report';
import { currentRows, currentWindow, referenceRows } from '../../core/monitoring/champion/rows';

/**
 * Issue 14's acceptance cases on the bundled Lyon 2024 export (Air quality data by Open-Meteo.com (CAMS),
 * CC BY 4.0), in one place for the three that use them: the unit test of our verdicts
 * (core/monitoring/champion/lyon-2024.test.ts), the Evidently generator (test/drift/make-golden.ts writes
 * these tables for test/drift/make_lyon_golden.py) and the test holding our report to Evidently's on them
 * (lyon-2024-evidently.test.ts). The champion is the instant random forest trained on the whole year, which
 * is also its reference snapshot.
 */
export const lyonYear: Reading[] = parseOpenMeteoCsv(readFileSync(bundledExports.lyon2024, 'utf8'));
export const lyonSnapshot = [{ locationId: 'lyon', readings: lyonYear }];
export const lyonWeek = currentWindow('2025-03-08T00:00:00Z', 7);
export const lyonMonth = currentWindow('2025-03-08T00:00:00Z', 30);

type Window = { from: string; to: string };

/** The window's hours, each drawn at random from the year (seeded xoroshiro128+). */
export function sampledHours(window: Window, seed: number): Reading[] {
  const start = Date.parse(window.from);
  const hours = (Date.parse(window.to) - start) / 3_600_000;
  const rng = xoroshiro128plus(seed);
  // Seeded from 32 bits, the generator's first outputs are weak: skip them (as the simulator does).
  for (let i = 0; i < 32; i += 1) uniformInt(rng, 0, 1);
  return Array.from({ length: hours }, (_, hour) => {
    const drawn = lyonYear[uniformInt(rng, 0, lyonYear.length - 1)] as Reading;
    return { ...drawn, observedAt: formatObservedAt(start + hour * 3_600_000) };
  });
}

/** PM2.5 and PM10 × 1.4 on days 3 to 5 of a week (72 hours). */
export function pmShifted(hours: readonly Reading[]): Reading[] {
  return hours.map((r, hour) => {
    if (hour < 48 || hour >= 120) return r;
    const { pm2_5, pm10 } = r.values;
    return {
      ...r,
      values: {
        ...r.values,
        ...(pm2_5 == null ? {} : { pm2_5: pm2_5 * 1.4 }),
        ...(pm10 == null ? {} : { pm10: pm10 * 1.4 }),
      },
    };
  });
}

/** The champion of the Lyon cases: a small seeded forest, trained on the year as training would. */
export function trainLyonChampion(): Model {
  const spec = featureSpecFor('instant', 0);
  return trainModel(
    'random-forest',
    buildExamples(lyonSnapshot, spec),
    trainingParams.parse({ randomForest: { nEstimators: 10, maxSamples: 500 } }),
  );
}

export interface LyonDriftCase {
  name: string;
  window: Window;
  hours: Reading[];
}

/** Seeds 1–5 of the 30-day samples and of the weeks, each week also with PM × 1.4 on days 3–5. */
export const evidentlyCaseSeeds = [1, 2, 3, 4, 5] as const;

export function lyonDriftCases(): LyonDriftCase[] {
  return evidentlyCaseSeeds.flatMap((seed) => {
    const week = sampledHours(lyonWeek, seed);
    return [
      { name: `30 days sampled, seed ${seed}`, window: lyonMonth, hours: sampledHours(lyonMonth, seed) },
      { name: `week sampled, seed ${seed}`, window: lyonWeek, hours: week },
      { name: `week sampled, seed ${seed}, PM x1.4 on days 3-5`, window: lyonWeek, hours: pmShifted(week) },
    ];
  });
}

export const monitoredCurrentRows = (model: Model, c: LyonDriftCase): MonitoredRows =>
  currentRows([{ locationId: 'lyon', readings: c.hours }], model, c.window);

export const monitoredReferenceRows = (model: Model): MonitoredRows => referenceRows(lyonSnapshot, model);

/**
 * A table as the generator hands it to Python: one JSON object of columns (the features by their spec names,
 * then the prediction and the actual index), NaN as null. JSON numbers are written as the shortest text
 * that reads back as the same double, so pandas sees exactly our values; the sha256 of these bytes is what
 * the committed Evidently output is tied to.
 */
export function driftTableJson(model: Model, rows: MonitoredRows): string {
  const finite = (v: number | undefined): number | null => {
    if (v === undefined || Number.isNaN(v)) return null;
    if (!Number.isFinite(v)) throw new Error(`an infinite value cannot be written as JSON: ${v}`);
    return v;
  };
  const columns: Record<string, (number | null)[]> = {};
  model.spec.names.forEach((name, i) => {
    columns[name] = rows.x.map((row) => finite(row[i]));
  });
  columns[predictionColumn] = rows.predictions.map(finite);
  columns[targetColumn] = rows.target.map(finite);
  return `${JSON.stringify({ columns })}\n`;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

import type { LiveAccuracy } from '../accuracy/live-accuracy';
import { driftReport, type ColumnDrift, type DriftFrame, type DriftReport } from '../drift/report';

import { sharedHistogram, type Histogram } from './histogram';
import { monitoringDefaults, type MonitoringSettings } from './settings';

/**
 * The drift report of one champion: its features, its predictions and the actual index, each compared
 * between the champion's own training snapshot (reference) and a recent window of stored hours (current),
 * by `driftReport` (Evidently's DataDriftPreset defaults). Pure: the rows come in, the report goes out.
 */

/** The columns of a window: feature vectors, the served prediction of each, and the actual index (or not yet). */
export interface MonitoredRows {
  x: readonly (readonly number[])[];
  predictions: readonly number[];
  /** The actual index at each row's target hour; undefined (or NaN) while it is not stored. */
  target: readonly (number | undefined)[];
}

export interface MonitoredModel {
  name: string;
  version: string;
  kind: 'instant' | 'forecast';
  horizonHours: number;
  algorithm: string;
  /** The training run that logged the model and its snapshot. */
  runId: string;
}

/** The champion's training snapshot, as its lineage tags name it. */
export interface ReferenceSnapshot {
  sha256: string;
  /** Stored hours in the snapshot (`aqi.dataset_rows`); `rows` below counts the examples built from them. */
  snapshotRows: number;
  from: string;
  to: string;
  locationIds: string[];
}

export interface CurrentWindow {
  from: string;
  to: string;
  locationIds: string[];
}

/** The column names of the prediction and the actual index (features keep their spec names). */
export const predictionColumn = 'prediction';
export const targetColumn = 'target';

export interface ChampionDriftReport {
  version: 1;
  model: MonitoredModel;
  reference: ReferenceSnapshot & { rows: number };
  current: CurrentWindow & { rows: number; rowsWithTarget: number };
  settings: MonitoringSettings;
  features: DriftReport;
  prediction: ColumnDrift;
  target: ColumnDrift;
  verdict: {
    datasetDrift: boolean;
    predictionDrift: boolean;
    targetDrift: boolean;
    summary: string;
  };
  /** Per column: reference and current shares on shared bins, for the HTML report's charts. */
  histograms: Record<string, Histogram>;
  /** The version's live accuracy over the window (the prediction log), added by the monitor's activity. */
  accuracy?: LiveAccuracy[];
}

export interface ChampionReportInput {
  model: MonitoredModel;
  reference: ReferenceSnapshot;
  current: CurrentWindow;
  featureNames: readonly string[];
  referenceRows: MonitoredRows;
  currentRows: MonitoredRows;
  settings: MonitoringSettings;
}

const column = (rows: MonitoredRows, index: number): Float64Array =>
  Float64Array.from(rows.x, (row) => row[index] ?? Number.NaN);
const targets = (rows: MonitoredRows): Float64Array => Float64Array.from(rows.target, (v) => v ?? Number.NaN);

function frame(rows: MonitoredRows, names: readonly string[]): DriftFrame {
  return Object.fromEntries(names.map((name, i) => [name, column(rows, i)]));
}

function oneColumn(reference: Float64Array, current: Float64Array, name: string, settings: MonitoringSettings) {
  const report = driftReport(
    { [name]: reference },
    { [name]: current },
    {
      columns: [{ name, type: 'numerical' }],
      minRows: settings.minRows,
    },
  );
  return report.columns[0] as ColumnDrift;
}

function describe(report: DriftReport, prediction: ColumnDrift, target: ColumnDrift): string {
  const { driftedColumns, columns, driftedShare, driftShare, notEnoughDataColumns } = report.dataset;
  const share = `${driftedColumns} of ${columns} features drifted (share ${driftedShare.toFixed(2)} ${report.dataset.datasetDrift ? '≥' : '<'} ${driftShare})`;
  const said = (c: ColumnDrift, what: string) =>
    c.status === 'not_enough_data' ? `${what}: not enough data` : c.drifted ? `${what} drifted` : `no ${what} drift`;
  return [
    `${report.dataset.datasetDrift ? 'dataset drift' : 'no dataset drift'}: ${share}`,
    ...(notEnoughDataColumns > 0 ? [`${notEnoughDataColumns} with not enough data`] : []),
    said(prediction, 'prediction'),
    said(target, 'target'),
  ].join('; ');
}

export function championDriftReport(input: ChampionReportInput): ChampionDriftReport {
  const { featureNames, referenceRows, currentRows, settings } = input;
  const features = driftReport(frame(referenceRows, featureNames), frame(currentRows, featureNames), {
    columns: featureNames.map((name) => ({ name, type: 'numerical' as const })),
    driftShare: settings.driftShare,
    minRows: settings.minRows,
  });
  const referencePredictions = Float64Array.from(referenceRows.predictions);
  const currentPredictions = Float64Array.from(currentRows.predictions);
  const prediction = oneColumn(referencePredictions, currentPredictions, predictionColumn, settings);
  const target = oneColumn(targets(referenceRows), targets(currentRows), targetColumn, settings);
  const histograms: Record<string, Histogram> = {};
  featureNames.forEach((name, i) => {
    histograms[name] = sharedHistogram(
      Array.from(column(referenceRows, i)),
      Array.from(column(currentRows, i)),
      monitoringDefaults.histogramBins,
    );
  });
  histograms[predictionColumn] = sharedHistogram(
    Array.from(referencePredictions),
    Array.from(currentPredictions),
    monitoringDefaults.histogramBins,
  );
  histograms[targetColumn] = sharedHistogram(
    Array.from(targets(referenceRows)),
    Array.from(targets(currentRows)),
    monitoringDefaults.histogramBins,
  );
  return {
    version: 1,
    model: input.model,
    reference: { ...input.reference, rows: referenceRows.x.length },
    current: {
      ...input.current,
      rows: currentRows.x.length,
      rowsWithTarget: currentRows.target.filter((v) => v !== undefined && Number.isFinite(v)).length,
    },
    settings,
    features,
    prediction,
    target,
    verdict: {
      datasetDrift: features.dataset.datasetDrift,
      predictionDrift: prediction.drifted,
      targetDrift: target.drifted,
      summary: describe(features, prediction, target),
    },
    histograms,
  };
}

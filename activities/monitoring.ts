import { Context } from '@temporalio/activity';

import { artifactProxyPath } from '../adapters/mlflow/artifacts';
import type { MlflowClient, MlflowRun } from '../adapters/mlflow/client';
import { MlflowRequestError } from '../adapters/mlflow/http';
import { downloadModel } from '../adapters/mlflow/model-artifact';
import type { MonitoringReportRecord } from '../adapters/postgres/monitoring-reports';
import { formatObservedAt } from '../core/air-quality/reading';
import { AppError } from '../core/errors';
import type { LocationSeries } from '../core/ml/dataset';
import type { Model } from '../core/ml/models';
import type { LiveAccuracy } from '../core/monitoring/accuracy/live-accuracy';
import { renderDriftReportHtml } from '../core/monitoring/champion/html';
import { championDriftReport, type ChampionDriftReport } from '../core/monitoring/champion/report';
import { currentRows, currentWindow, readingsSpan, referenceRows } from '../core/monitoring/champion/rows';
import { monitoringSettings } from '../core/monitoring/champion/settings';
import { modelAliases } from '../core/training/promotion';

import { holdoutMaeOf, servedChampions } from './champions';
import { versionAccuracy } from './live-accuracy';
import type { MonitoringRepository, PredictionLogRepository, TrainingSetRepository } from './repositories';
import { loadDataset, snapshotPath } from './training/dataset';

/**
 * The champion monitor's activities (workflow `monitorChampion`):
 * - `listChampions`: the platform's models that have a `champion` alias (what the daily run monitors);
 * - `findChampion`: one model's champion version and its lineage tags, or nothing;
 * - `openMonitoringRun` / `closeMonitoringRun`: the MLflow run of the report in the monitoring experiment,
 *   found again by the workflow id (a retry opens no second run), tagged with the model name and version;
 * - `reportChampionDrift`: reference = the champion's training snapshot, downloaded from its training run and
 *   checked against the version's `aqi.dataset_sha256` (never recomputed from the database); current = the
 *   last `windowDays` of stored hours of the snapshot's locations; the drift report (core), its JSON and HTML
 *   as artifacts of the monitoring run, and the report row. A champion whose snapshot cannot be had is a row
 *   with the reason (`no_reference`), not a failure. Both carry the version's live accuracy over the window
 *   (prediction log, deliverable 3) beside its holdout MAE.
 * Only references and a summary go back to the workflow; the report itself stays in MLflow and PostgreSQL.
 */

export interface MonitoringDeps {
  mlflow: MlflowClient;
  trainingSet: TrainingSetRepository;
  monitoring: MonitoringRepository;
  predictionLog: PredictionLogRepository;
  monitoringRuns: { experiment: string; mlflowUrl: string };
}

export interface ChampionRef {
  modelName: string;
  version: string;
  runId?: string;
  tags: Record<string, string>;
}

export interface MonitoringRunRef {
  runId: string;
  experimentId: string;
  artifactUri: string;
  /** The run's page in the MLflow UI. */
  url: string;
}

export interface DriftReportInput {
  champion: ChampionRef;
  run: MonitoringRunRef;
  /** Days of stored hours in the current window (default 7). */
  windowDays?: number;
  /** End of the current window (ISO hour, exclusive); default the hour after the newest stored one. */
  to?: string;
  minRows?: number;
  driftShare?: number;
}

export interface DriftReportOutcome {
  reportId: number;
  status: 'reported' | 'no_reference';
  reason?: string;
  /** The current window [from, to). */
  from: string;
  to: string;
  datasetDrift?: boolean;
  predictionDrift?: boolean;
  targetDrift?: boolean;
  summary?: string;
  /** The version's live accuracy over the window, per horizon (empty when nothing was logged). */
  accuracy?: LiveAccuracy[];
  /** The HTML and JSON reports as MLflow serves them, and the run's page. */
  links: { run: string; html?: string; json?: string };
}

export const reportArtifacts = { json: 'drift/report.json', html: 'drift/report.html' } as const;

const workflowId = (): string => {
  const execution = Context.current().info.workflowExecution as { workflowId: string } | undefined;
  if (!execution) throw new Error('monitoring activities run inside a workflow');
  return execution.workflowId;
};

/** Why a champion has no usable reference, as an error the report row carries instead of a failure. */
class NoReference extends Error {}

const hourMs = 3_600_000;

export function createMonitoringActivities({
  mlflow,
  trainingSet,
  monitoring,
  predictionLog,
  monitoringRuns,
}: MonitoringDeps) {
  const runUrl = (run: { experimentId: string; runId: string }) =>
    `${monitoringRuns.mlflowUrl}/#/experiments/${run.experimentId}/runs/${run.runId}`;

  /** The training snapshot and the model of a champion, or why they cannot be had. */
  async function championArtifacts(champion: ChampionRef): Promise<{
    training: MlflowRun;
    snapshot: LocationSeries[];
    model: Model;
  }> {
    const sha256 = champion.tags['aqi.dataset_sha256'];
    if (!champion.runId) throw new NoReference(`version ${champion.version} was registered without a training run`);
    if (!sha256) {
      throw new NoReference(
        `version ${champion.version} has no aqi.dataset_sha256 lineage tag (not registered by trainingPipeline)`,
      );
    }
    const training = await mlflow.getRun(champion.runId);
    if (!training) throw new NoReference(`training run ${champion.runId} of version ${champion.version} is gone`);
    let snapshot: LocationSeries[];
    try {
      snapshot = await loadDataset(mlflow, training, {
        artifactPath: snapshotPath,
        sha256,
        rows: Number(champion.tags['aqi.dataset_rows'] ?? 0),
        from: '',
        to: '',
        locationIds: [],
      });
    } catch (err) {
      if (err instanceof MlflowRequestError && err.status === 404) {
        throw new NoReference(`training run ${champion.runId} has no ${snapshotPath}`);
      }
      if (err instanceof AppError && err.code === 'DATASET_MISMATCH') throw new NoReference(err.message);
      throw err;
    }
    return { training, snapshot, model: await downloadModel(mlflow, training) };
  }

  async function windowEnd(locationIds: readonly string[], to: string | undefined, fallback: string): Promise<string> {
    if (to !== undefined) return to;
    const latest = await monitoring.latestStoredHour(locationIds);
    return latest === undefined ? fallback : formatObservedAt(Date.parse(latest) + hourMs);
  }

  return {
    async listChampions(): Promise<string[]> {
      return (await servedChampions(mlflow)).map((c) => c.modelName);
    },

    async findChampion(input: { modelName: string }): Promise<ChampionRef | null> {
      const version = await mlflow.getVersionByAlias(input.modelName, modelAliases.champion).catch((err: unknown) => {
        // An unknown registered model has no champion; anything else (MLflow away) is retried.
        if (err instanceof MlflowRequestError && err.status === 404) return undefined;
        throw err;
      });
      if (!version) return null;
      return {
        modelName: input.modelName,
        version: version.version,
        ...(version.runId ? { runId: version.runId } : {}),
        tags: version.tags,
      };
    },

    async openMonitoringRun(input: { modelName: string; version: string }): Promise<MonitoringRunRef> {
      const id = workflowId();
      const experimentId = await mlflow.getOrCreateExperiment(monitoringRuns.experiment);
      const [existing] = await mlflow.findRunsByTag(experimentId, 'aqi.workflow_id', id);
      const run =
        existing ??
        (await mlflow.createRun({
          experimentId,
          runName: `drift-${input.modelName}-v${input.version}`,
          startTime: Date.now(),
          tags: {
            'aqi.workflow_id': id,
            'aqi.model_name': input.modelName,
            'aqi.model_version': input.version,
            'aqi.kind': 'drift-report',
          },
        }));
      return { runId: run.runId, experimentId: run.experimentId, artifactUri: run.artifactUri, url: runUrl(run) };
    },

    async reportChampionDrift(input: DriftReportInput): Promise<DriftReportOutcome> {
      const { champion, run } = input;
      const settings = monitoringSettings.parse({
        ...(input.windowDays === undefined ? {} : { windowDays: input.windowDays }),
        ...(input.minRows === undefined ? {} : { minRows: input.minRows }),
        ...(input.driftShare === undefined ? {} : { driftShare: input.driftShare }),
      });
      const base = { workflowId: workflowId(), modelName: champion.modelName, modelVersion: champion.version };
      let artifacts: Awaited<ReturnType<typeof championArtifacts>>;
      try {
        artifacts = await championArtifacts(champion);
      } catch (err) {
        if (!(err instanceof NoReference)) throw err;
        // No snapshot, so no locations: the window still ends at the newest stored hour of any location.
        const end = await windowEnd([], input.to, formatObservedAt(0));
        const window = currentWindow(end, settings.windowDays);
        const holdoutMae = holdoutMaeOf(undefined, champion.tags);
        const accuracy = await versionAccuracy(
          predictionLog,
          { ...champion, ...(holdoutMae === undefined ? {} : { holdoutMae }) },
          window,
        );
        const record: MonitoringReportRecord = {
          ...base,
          status: 'no_reference',
          reason: err.message,
          currentFrom: window.from,
          currentTo: window.to,
          mlflowRunId: run.runId,
          runUrl: run.url,
          accuracy,
        };
        await mlflow.logBatch(run.runId, {
          tags: { 'aqi.outcome': 'no_reference', 'aqi.reason': err.message.slice(0, 4000) },
        });
        const reportId = await monitoring.saveReport(record);
        return { reportId, status: 'no_reference', reason: err.message, ...window, accuracy, links: { run: run.url } };
      }
      const { training, snapshot, model } = artifacts;
      Context.current().heartbeat({ stage: 'reference loaded' });
      const locationIds = snapshot.map((s) => s.locationId);
      const [rangeFrom = '', rangeTo = ''] = (champion.tags['aqi.dataset_range'] ?? '/').split('/');
      const window = currentWindow(await windowEnd(locationIds, input.to, rangeTo), settings.windowDays);
      const span = readingsSpan(model.spec, window);
      const series = await trainingSet.load(locationIds, span.from, span.to);
      const holdoutMae = holdoutMaeOf(training, champion.tags);
      const accuracy = await versionAccuracy(
        predictionLog,
        { ...champion, ...(holdoutMae === undefined ? {} : { holdoutMae }) },
        window,
      );
      const drift = championDriftReport({
        model: {
          name: champion.modelName,
          version: champion.version,
          kind: model.spec.kind,
          horizonHours: model.spec.horizonHours,
          algorithm: model.algorithm,
          runId: training.runId,
        },
        reference: {
          sha256: champion.tags['aqi.dataset_sha256'] ?? '',
          snapshotRows: snapshot.reduce((n, s) => n + s.readings.length, 0),
          from: rangeFrom,
          to: rangeTo,
          locationIds,
        },
        current: { ...window, locationIds },
        featureNames: model.spec.names,
        referenceRows: referenceRows(snapshot, model),
        currentRows: currentRows(series, model, window),
        settings,
      });
      const report: ChampionDriftReport = { ...drift, accuracy };
      await mlflow.uploadArtifact(run, reportArtifacts.json, JSON.stringify(report), 'application/json');
      await mlflow.uploadArtifact(run, reportArtifacts.html, renderDriftReportHtml(report), 'text/html');
      const { dataset } = report.features;
      await mlflow.logBatch(run.runId, {
        params: {
          model_name: champion.modelName,
          model_version: champion.version,
          reference_sha256: report.reference.sha256,
          current_from: window.from,
          current_to: window.to,
          window_days: settings.windowDays,
          min_rows: settings.minRows,
          drift_share: settings.driftShare,
        },
        metrics: {
          dataset_drift: dataset.datasetDrift ? 1 : 0,
          drifted_share: dataset.driftedShare,
          drifted_columns: dataset.driftedColumns,
          not_enough_data_columns: dataset.notEnoughDataColumns,
          prediction_drift: report.prediction.drifted ? 1 : 0,
          target_drift: report.target.drifted ? 1 : 0,
          reference_rows: report.reference.rows,
          current_rows: report.current.rows,
        },
        tags: { 'aqi.outcome': 'reported' },
      });
      const links = {
        run: run.url,
        html: `${monitoringRuns.mlflowUrl}${artifactProxyPath(run, reportArtifacts.html)}`,
        json: `${monitoringRuns.mlflowUrl}${artifactProxyPath(run, reportArtifacts.json)}`,
      };
      const reportId = await monitoring.saveReport({
        ...base,
        status: 'reported',
        referenceSha256: report.reference.sha256,
        referenceRows: report.reference.rows,
        currentFrom: window.from,
        currentTo: window.to,
        currentRows: report.current.rows,
        datasetDrift: dataset.datasetDrift,
        driftedColumns: dataset.driftedColumns,
        columns: dataset.columns,
        driftedShare: dataset.driftedShare,
        predictionDrift: report.prediction.drifted,
        targetDrift: report.target.drifted,
        summary: report.verdict.summary,
        mlflowRunId: run.runId,
        runUrl: links.run,
        htmlUrl: links.html,
        accuracy,
        report,
      });
      return {
        reportId,
        status: 'reported',
        ...window,
        datasetDrift: dataset.datasetDrift,
        predictionDrift: report.prediction.drifted,
        targetDrift: report.target.drifted,
        summary: report.verdict.summary,
        accuracy,
        links,
      };
    },

    async closeMonitoringRun(input: { runId: string; status: 'FINISHED' | 'FAILED' }): Promise<void> {
      await mlflow.finishRun(input.runId, input.status);
    },
  };
}

export type MonitoringActivities = ReturnType<typeof createMonitoringActivities>;

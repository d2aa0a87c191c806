import { Context } from '@temporalio/activity';

import type { MlflowClient } from '../../adapters/mlflow/client';
import { downloadModel } from '../../adapters/mlflow/model-artifact';
import type { LocationSeries } from '../../core/ml/dataset';
import { evaluate, evaluateGate, type GateResult } from '../../core/ml/evaluation';
import { buildExamples, featureSpecFor, type Examples } from '../../core/ml/features';
import type { RegressionMetrics } from '../../core/ml/metrics';
import { trainingParams, trainModel } from '../../core/ml/models';
import { chronologicalSplit } from '../../core/ml/split';
import { modelAliases } from '../../core/training/promotion';

import { loadDataset } from './dataset';
import type { CandidateSpec, DatasetRef, SplitWindows, TrainedCandidate, TrainingRunRef } from './types';

export interface EvaluationSummary {
  testRows: number;
  candidate: RegressionMetrics;
  validation: RegressionMetrics;
  /** Linear model on the same features (instant) or persistence (forecast), scored on the same holdout. */
  baseline: { algorithm: 'linear' | 'persistence'; metrics: RegressionMetrics };
  /** The current champion of this model name, scored on the very same holdout rows. */
  champion?: { version: string; metrics: RegressionMetrics };
  gate: GateResult;
}

/**
 * Evaluate: scores the candidate, its baseline and the current champion on the same fresh holdout (the
 * test window, which nothing was tuned on), applies the gate of the candidate's kind, and logs it all to
 * the run (metrics and `evaluation/report.json`).
 */
export async function evaluateCandidate(
  mlflow: MlflowClient,
  input: {
    run: TrainingRunRef;
    dataset: DatasetRef;
    candidate: CandidateSpec;
    trained: TrainedCandidate;
    windows: SplitWindows;
    tolerance: number;
  },
): Promise<EvaluationSummary> {
  const context = Context.current();
  const series = await loadDataset(mlflow, input.run, input.dataset);
  const spec = featureSpecFor(input.candidate.kind, input.candidate.horizonHours);
  const split = chronologicalSplit(buildExamples(series, spec), input.windows);
  const model = await downloadModel(mlflow, input.run, input.trained.modelPath);
  context.heartbeat({ stage: 'scoring candidate' });

  const baselineAlgorithm = input.candidate.kind === 'instant' ? 'linear' : 'persistence';
  const baselineModel = trainModel(baselineAlgorithm, split.train, trainingParams.parse({}));
  const champion = await scoreChampion(
    mlflow,
    input.candidate.modelName,
    input.run.runId,
    series,
    split.test,
    input.windows,
  );
  context.heartbeat({ stage: 'scoring champion' });

  const summary: Omit<EvaluationSummary, 'gate'> = {
    testRows: split.test.y.length,
    candidate: evaluate(model, split.test),
    validation: evaluate(model, split.validation),
    baseline: { algorithm: baselineAlgorithm, metrics: evaluate(baselineModel, split.test) },
    ...(champion ? { champion } : {}),
  };
  const gate = evaluateGate({
    kind: input.candidate.kind,
    candidate: summary.candidate,
    baseline: summary.baseline.metrics,
    ...(champion ? { champion: champion.metrics } : {}),
    tolerance: input.tolerance,
  });
  const result: EvaluationSummary = { ...summary, gate };

  await mlflow.logBatch(input.run.runId, {
    metrics: {
      ...prefixed('test', result.candidate),
      ...prefixed('validation', result.validation),
      ...prefixed('baseline_test', result.baseline.metrics),
      ...(champion ? prefixed('champion_test', champion.metrics) : {}),
      gate_passed: gate.passed ? 1 : 0,
    },
    tags: { 'aqi.gate': gate.passed ? 'passed' : 'failed', 'aqi.gate_reasons': gate.reasons.join('; ').slice(0, 4000) },
  });
  await mlflow.uploadArtifact(input.run, 'evaluation/report.json', JSON.stringify(result, null, 2), 'application/json');
  return result;
}

async function scoreChampion(
  mlflow: MlflowClient,
  modelName: string,
  candidateRunId: string,
  series: LocationSeries[],
  candidateTest: Examples,
  windows: SplitWindows,
): Promise<{ version: string; metrics: RegressionMetrics } | undefined> {
  const version = await mlflow.getVersionByAlias(modelName, modelAliases.champion);
  if (!version?.runId || version.runId === candidateRunId) return undefined;
  const run = await mlflow.getRun(version.runId);
  if (!run) return undefined;
  const champion = await downloadModel(mlflow, run);
  // The champion may use another feature spec: build its own rows, then keep the hours the candidate is scored on.
  const test = chronologicalSplit(buildExamples(series, champion.spec), windows).test;
  const keys = new Set(candidateTest.target.map((t, i) => `${candidateTest.locationIds[i]}|${t}`));
  const keep = test.target.map((t, i) => keys.has(`${test.locationIds[i]}|${t}`));
  const same: Examples = {
    x: test.x.filter((_, i) => keep[i]),
    y: test.y.filter((_, i) => keep[i]),
    at: test.at.filter((_, i) => keep[i]),
    target: test.target.filter((_, i) => keep[i]),
    locationIds: test.locationIds.filter((_, i) => keep[i]),
    persistence: test.persistence.filter((_, i) => keep[i]),
  };
  return { version: version.version, metrics: evaluate(champion, same) };
}

function prefixed(prefix: string, metrics: RegressionMetrics): Record<string, number> {
  const out: Record<string, number> = {
    [`${prefix}_mae`]: metrics.mae,
    [`${prefix}_rmse`]: metrics.rmse,
    [`${prefix}_r2`]: metrics.r2,
    [`${prefix}_rows`]: metrics.n,
  };
  for (const [band, value] of Object.entries(metrics.maeByBand)) {
    if (value) out[`${prefix}_mae_${band.replace(/ /g, '_')}`] = value.mae;
  }
  // MLflow refuses non-finite metrics (R² of a constant holdout, an empty band).
  return Object.fromEntries(Object.entries(out).filter(([, v]) => Number.isFinite(v)));
}

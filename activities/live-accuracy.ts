import { Context } from '@temporalio/activity';

import type { MlflowClient } from '../adapters/mlflow/client';
import { formatObservedAt } from '../core/air-quality/reading';
import { hourMs, hourOf } from '../core/ml/dataset';
import { withHoldout, type LiveAccuracy } from '../core/monitoring/accuracy/live-accuracy';
import { predictStoredHours } from '../core/monitoring/accuracy/predictions';
import { readingsSpan } from '../core/monitoring/champion/rows';

import { championLoader, servedChampions } from './champions';
import type { PredictionLogRepository, TrainingSetRepository } from './repositories';

/**
 * Live accuracy's activities (issue 14, deliverable 3):
 * - `scoreStoredHours` (the hourly ingest, after the hour is stored): every champion predicts from each hour
 *   of the window, the predictions go to the prediction log, and every waiting prediction whose target hour
 *   is now stored gets its actual. A repeat logs nothing new (one prediction per version, place, hour, horizon).
 * `versionAccuracy` is the same comparison for the champion monitor's report.
 */

export interface LiveAccuracyDeps {
  mlflow: MlflowClient;
  trainingSet: TrainingSetRepository;
  predictionLog: PredictionLogRepository;
}

export interface ScoringInput {
  locationIds: string[];
  /** The stored hours to predict from: [from, to] (ISO hours, both included, as ingestHourly's window). */
  from: string;
  to: string;
}

export interface ScoringOutcome {
  /** Per champion scored: name, version and the predictions it added to the log. */
  models: { modelName: string; version: string; logged: number }[];
  /** Champions that could not be scored (no training run, or its model unreadable), with why. */
  skipped: { modelName: string; version: string; reason: string }[];
  /** Waiting predictions resolved by the hours now stored. */
  resolved: number;
}

export function createLiveAccuracyActivities({ mlflow, trainingSet, predictionLog }: LiveAccuracyDeps) {
  const load = championLoader(mlflow);
  return {
    async scoreStoredHours(input: ScoringInput): Promise<ScoringOutcome> {
      const window = { from: input.from, to: formatObservedAt(hourOf(input.to) + hourMs) };
      const outcome: ScoringOutcome = { models: [], skipped: [], resolved: 0 };
      for (const champion of await servedChampions(mlflow)) {
        const loaded = await load(champion);
        if (!loaded) {
          outcome.skipped.push({
            modelName: champion.modelName,
            version: champion.version,
            reason: 'no readable training run',
          });
          continue;
        }
        const { model, run, holdoutMae, holdoutRows } = loaded;
        const span = readingsSpan(model.spec, window);
        const series = await trainingSet.load(input.locationIds, span.from, window.to);
        const predictions = predictStoredHours(
          series,
          model,
          { modelName: champion.modelName, modelVersion: champion.version },
          window,
        );
        const logged = await predictionLog.log(predictions, 'scoring');
        if (holdoutMae !== undefined) {
          await predictionLog.recordHoldout({
            modelName: champion.modelName,
            modelVersion: champion.version,
            runId: run.runId,
            holdoutMae,
            ...(holdoutRows === undefined ? {} : { holdoutRows }),
          });
        }
        outcome.models.push({ modelName: champion.modelName, version: champion.version, logged });
        Context.current().heartbeat({ scored: champion.modelName });
      }
      outcome.resolved = await predictionLog.resolveActuals();
      return outcome;
    },
  };
}

export type LiveAccuracyActivities = ReturnType<typeof createLiveAccuracyActivities>;

/**
 * A version's live accuracy over a window of target hours, per horizon, with its holdout MAE (also kept for
 * the API): waiting predictions are resolved first, so hours stored since the last scoring count.
 */
export async function versionAccuracy(
  predictionLog: PredictionLogRepository,
  version: { modelName: string; version: string; runId?: string; holdoutMae?: number },
  window: { from: string; to: string },
): Promise<LiveAccuracy[]> {
  await predictionLog.resolveActuals();
  const hours = Math.round((hourOf(window.to) - hourOf(window.from)) / hourMs);
  const tallies = await predictionLog.tally({
    modelName: version.modelName,
    modelVersion: version.version,
    hours,
    to: window.to,
  });
  if (version.holdoutMae !== undefined && version.runId !== undefined) {
    await predictionLog.recordHoldout({
      modelName: version.modelName,
      modelVersion: version.version,
      runId: version.runId,
      holdoutMae: version.holdoutMae,
    });
  }
  return tallies.map((t) => withHoldout(t, version.holdoutMae));
}

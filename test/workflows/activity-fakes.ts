import { Context } from '@temporalio/activity';

import type { AlertActivities } from '../../activities/alerts';
import type { IngestionActivities } from '../../activities/ingestion';
import type { QualityActivities } from '../../activities/quality';
import type { TrainingActivities, TrainingComputeActivities } from '../../activities/training';
import type { EvaluationSummary } from '../../activities/training/evaluate';

/**
 * Fake activities for the time-skipping workflow tests: plain objects with the real activities' types,
 * returning small fixed references, and recording every call (its input and attempt) in order.
 */
export type LifecycleActivities = TrainingActivities & TrainingComputeActivities & QualityActivities & AlertActivities;

export interface ActivityCall {
  name: string;
  input: unknown;
  attempt: number;
}

export const runRef = { runId: 'run-1', experimentId: '1', artifactUri: 'mlflow-artifacts:/1/run-1/artifacts' };

const metrics = (mae: number) => ({ n: 1000, mae, rmse: mae * 1.4, r2: 0.9, maeByBand: {} });

/** A candidate that beats its baseline and the champion on the holdout, or one that does not. */
export function evaluationSummary(passed: boolean): EvaluationSummary {
  return {
    testRows: 1000,
    candidate: metrics(passed ? 2.1 : 9.5),
    validation: metrics(2.3),
    baseline: { algorithm: 'linear', metrics: metrics(4.2) },
    champion: { version: '6', metrics: metrics(2.2) },
    gate: passed
      ? { passed: true, reasons: ['pass: candidate MAE 2.100 < linear 4.200'] }
      : { passed: false, reasons: ['fail: candidate MAE 9.500 ≥ linear 4.200'] },
  };
}

export function lifecycleDefaults(): LifecycleActivities {
  return {
    openTrainingRun: async () => runRef,
    extractDataset: async (input) => ({
      artifactPath: 'dataset/readings.json',
      sha256: 'a'.repeat(64),
      rows: 8760,
      from: input.from,
      to: input.to,
      locationIds: input.locationIds,
    }),
    assessDataQuality: async () => ({ reportId: 41, verdict: 'pass', rowsChecked: 8760, findings: [] }),
    trainCandidate: async () => ({
      modelPath: 'model/model.json',
      modelSha256: 'b'.repeat(64),
      trainRows: 7000,
      trainSeconds: 3,
      featureNames: ['pm2_5', 'pm10'],
    }),
    evaluateCandidate: async () => evaluationSummary(true),
    registerChallenger: async () => ({ version: '7' }),
    closeTrainingRun: async () => undefined,
    promoteChampion: async () => ({ previousVersion: '6', changed: true }),
    readAliases: async () => ({ champion: '7', previous: '6' }),
    rollbackChampion: async (input) => ({ champion: input.from.previous ?? '', demoted: input.from.champion ?? '' }),
    recordDecision: async () => 1,
    deployToApi: async (input) => ({ confirmed: true, detail: `the API serves ${input.modelName}/${input.version}` }),
    notify: async () => ({ channels: ['log'], delivered: [], alreadyDelivered: [], gaveUp: [] }),
  };
}

/** Wraps each activity so that its calls are recorded, in the order the workers ran them. */
export function recording<A extends object>(activities: A): { activities: A; calls: ActivityCall[] } {
  const calls: ActivityCall[] = [];
  const wrapped = Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => [
      name,
      (input: unknown) => {
        calls.push({ name, input, attempt: Context.current().info.attempt });
        return (activity as (input: unknown) => Promise<unknown>)(input);
      },
    ]),
  ) as A;
  return { activities: wrapped, calls };
}

/** The names of the calls, in order: what a test compares first. */
export const namesOf = (calls: ActivityCall[]): string[] => calls.map((c) => c.name);

export type HistoryActivities = Pick<IngestionActivities, 'planHistorySource' | 'ingestHistoryChunk'>;

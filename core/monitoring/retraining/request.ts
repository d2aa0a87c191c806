import { formatObservedAt } from '../../air-quality/reading';
import { hourOf } from '../../ml/dataset';
import { trainingRequest } from '../../training/request';

import type { RetrainEvidence } from './evidence';

/**
 * What a retrain on evidence trains: the champion's own recipe (kind, horizon, algorithm, hyper-parameters,
 * locations, from its version tags and its training run's params) on the latest windows.
 */

/** The champion a retrain replaces, and the evidence that asked for it: what the approver is shown. */
export interface RetrainTrigger {
  reason: RetrainEvidence['reason'];
  summary: string;
  modelName: string;
  /** The champion version the evidence is about. */
  fromVersion: string;
  /** The monitor run that found it. */
  monitorWorkflowId: string;
  reportId?: number;
  reportUrl?: string;
  evidence: RetrainEvidence;
  /** When the retrain was claimed, and until when later triggers join it instead of starting another. */
  claimedAt: string;
  cooldownUntil: string;
}

/** The training windows of a retrain, as trainingPipeline takes them. */
export interface TrainingWindows {
  trainFrom: string;
  validationFrom: string;
  testFrom: string;
  testTo: string;
}

/** `iso` moved back by whole calendar months, the day kept or clamped to the month's last (31 March - 1 = 29 Feb). */
function monthsBefore(iso: string, months: number): string {
  const d = new Date(hourOf(iso));
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1, d.getUTCHours()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return formatObservedAt(target.getTime());
}

/**
 * The latest windows ending at `to` (exclusive; the hour after the newest stored one): the year before it,
 * its last month held out and the month before that validating, as the bundled defaults split Lyon 2024
 * (to = 2025-01-01: train from 2024-01-01, validate from 2024-11-01, hold out December).
 */
export function latestWindows(to: string): TrainingWindows {
  return {
    trainFrom: monthsBefore(to, 12),
    validationFrom: monthsBefore(to, 2),
    testFrom: monthsBefore(to, 1),
    testTo: formatObservedAt(hourOf(to)),
  };
}

const scalar = (text: string): unknown => {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text !== '' && /^-?[0-9.e+-]+$/i.test(text) && Number.isFinite(Number(text))) return Number(text);
  return text;
};

/** The hyper-parameters a run logged flattened (`param.randomForest.nEstimators` = "10"), as an object again. */
export function paramsFromRun(runParams: Readonly<Record<string, string>>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(runParams)) {
    if (!key.startsWith('param.')) continue;
    const path = key.slice('param.'.length).split('.');
    let node = params;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node = (next !== null && typeof next === 'object' ? next : (node[part] = {})) as Record<string, unknown>;
    }
    const leaf = path[path.length - 1];
    if (leaf !== undefined && value !== 'undefined') node[leaf] = scalar(value);
  }
  return params;
}

/** A retrain's trainingPipeline input: the champion's recipe, the latest windows, the platform's approval rules. */
export function retrainRequest(input: {
  modelName: string;
  versionTags: Readonly<Record<string, string>>;
  runParams: Readonly<Record<string, string>>;
  to: string;
  approvalTimeout: string;
  tolerance: number;
  /** The training worker's task queue (TEMPORAL_TRAINING_TASK_QUEUE). */
  trainingTaskQueue?: string;
}) {
  const { versionTags: tags, runParams } = input;
  const kind = tags['aqi.kind'] === 'forecast' ? 'forecast' : 'instant';
  const request = trainingRequest.parse({
    kind,
    ...(kind === 'forecast'
      ? { horizonHours: Number(tags['aqi.horizon_hours'] ?? runParams.horizon_hours ?? 24) }
      : {}),
    algorithm: tags['aqi.algorithm'] ?? runParams.algorithm ?? 'random-forest',
    params: paramsFromRun(runParams),
    locationIds: (runParams.locations ?? 'lyon').split(',').filter(Boolean),
    ...latestWindows(input.to),
    approvalTimeout: input.approvalTimeout,
    tolerance: input.tolerance,
  });
  return {
    ...request,
    modelName: input.modelName,
    ...(input.trainingTaskQueue === undefined ? {} : { trainingTaskQueue: input.trainingTaskQueue }),
  };
}
export type RetrainRequest = ReturnType<typeof retrainRequest>;

/**
 * The training run's workflow id, derived from the trigger (model, the version it replaces, the reason and
 * the end of the evidence's window): the same evidence seen twice (the schedule and the DAG, a retried
 * monitor) names the same run, and the ledger's cooldown hands that id to every other trigger until it ends.
 */
export function retrainWorkflowId(t: { modelName: string; fromVersion: string; reason: string; windowTo: string }) {
  // The window ends on an hour: 2024-12-25T00:00:00Z → 20241225T00Z.
  const stamp = `${t.windowTo.slice(0, 13).replace(/-/g, '')}Z`;
  return `retrain-${t.modelName}-v${t.fromVersion}-${t.reason.replace(/_/g, '-')}-${stamp}`;
}

import { cutTo, type AlertInput } from './alert';

/**
 * The alerts the pipeline workflows send, built from what the workflow knows (workflow code imports this
 * file: no Node API, no clock; `at` is the workflow's time). Each key names the work and the step, so a
 * replay or a retry is the same alert. `workflowId` asks the notify activity to add the run's Web UI link.
 */
export type PipelineAlert = AlertInput & { workflowId?: string };

export function qualityFailedAlert(input: {
  workflowId: string;
  locationIds: readonly string[];
  from: string;
  to: string;
  reportId: number;
  findings: readonly string[];
  at: string;
}): PipelineAlert {
  const places = [...input.locationIds].sort().join(', ');
  return {
    key: `quality:${input.workflowId}:failed`,
    kind: 'quality_failed',
    severity: 'critical',
    title: cutTo(`Data quality failed for ${places}`, 200),
    text: cutTo(`Window ${input.from} to ${input.to}: ${input.findings.join('; ') || 'see the report'}`, 3000),
    facts: { locations: cutTo(places, 500), report: input.reportId, from: input.from, to: input.to },
    at: input.at,
    workflowId: input.workflowId,
  };
}

export interface ApprovalFacts {
  workflowId: string;
  modelName: string;
  version: string;
  holdoutMae: number;
  deadline: string;
  at: string;
  /** Why the run was started, when the champion monitor's evidence started it (retraining on evidence). */
  why?: string;
}

export function approvalPendingAlert(input: ApprovalFacts): PipelineAlert {
  return {
    key: `approval:${input.workflowId}:${input.version}:pending`,
    kind: 'approval_pending',
    severity: 'info',
    title: cutTo(`${input.modelName} version ${input.version} awaits your approval`, 200),
    text: cutTo(
      `${input.why === undefined ? '' : `Retrain on evidence: ${input.why}. `}` +
        `Holdout MAE ${input.holdoutMae.toFixed(3)}; it passed the evaluation gate. Approve or reject before ` +
        `${input.deadline} (Web UI, airq approve|reject, POST /pipelines/${input.workflowId}/approval).`,
      3000,
    ),
    facts: {
      model: input.modelName,
      version: input.version,
      'holdout MAE': input.holdoutMae,
      deadline: input.deadline,
    },
    at: input.at,
    workflowId: input.workflowId,
  };
}

export function approvalExpiringAlert(input: ApprovalFacts): PipelineAlert {
  return {
    ...approvalPendingAlert(input),
    key: `approval:${input.workflowId}:${input.version}:expiring`,
    kind: 'approval_expiring',
    severity: 'warning',
    title: cutTo(`${input.modelName} version ${input.version}: approval expires at ${input.deadline}`, 200),
  };
}

/**
 * When the approval reminder goes out: a quarter of the wait before its end, at most 12 hours before
 * (72 h wait: 12 h before; 4 h wait: 1 h before).
 */
export function expiryWarningMs(waitMs: number): number {
  return Math.min(12 * 3_600_000, Math.floor(waitMs / 4));
}

export function pipelineFailedAlert(input: {
  workflowId: string;
  pipeline: string;
  reason: string;
  at: string;
}): PipelineAlert {
  return {
    key: `failed:${input.workflowId}`,
    kind: 'pipeline_failed',
    severity: 'critical',
    title: cutTo(`${input.pipeline} failed: ${input.workflowId}`, 200),
    text: cutTo(input.reason, 3000),
    facts: { pipeline: input.pipeline, workflow: cutTo(input.workflowId, 500) },
    at: input.at,
    workflowId: input.workflowId,
  };
}

/** A champion's monitoring report found drift: one alert per model version and window end (a re-run is the same). */
export function modelDriftAlert(input: {
  workflowId: string;
  modelName: string;
  version: string;
  windowTo: string;
  summary: string;
  datasetDrift: boolean;
  predictionDrift: boolean;
  reportUrl?: string;
  at: string;
}): PipelineAlert {
  const what = [input.datasetDrift ? 'dataset drift' : '', input.predictionDrift ? 'prediction drift' : '']
    .filter((x) => x.length > 0)
    .join(' and ');
  return {
    key: `drift:${input.modelName}:${input.version}:${input.windowTo}`,
    kind: 'model_degraded',
    severity: 'warning',
    title: cutTo(`${input.modelName} version ${input.version}: ${what}`, 200),
    text: cutTo(`${input.summary} (window ending ${input.windowTo}).`, 3000),
    links: input.reportUrl === undefined ? [] : [{ label: 'Drift report', url: input.reportUrl }],
    facts: { model: input.modelName, version: input.version, 'window end': input.windowTo },
    at: input.at,
    workflowId: input.workflowId,
  };
}

/**
 * A champion's live MAE is worse than its holdout's by more than the retraining margin (the rule of
 * core/monitoring/retraining): one alert per model version and horizon, told by the monitor that first sees it.
 */
export function accuracyDegradedAlert(input: {
  workflowId: string;
  modelName: string;
  version: string;
  horizonHours: number;
  ratio?: number;
  maeMargin: number;
  summary: string;
  reportUrl?: string;
  at: string;
}): PipelineAlert {
  const times = input.ratio === undefined ? '' : ` (${input.ratio.toFixed(2)}× the holdout MAE)`;
  return {
    key: `accuracy:${input.modelName}:${input.version}:+${input.horizonHours}h`,
    kind: 'model_degraded',
    severity: 'warning',
    title: cutTo(`${input.modelName} version ${input.version}: live accuracy degraded${times}`, 200),
    text: cutTo(
      `${input.summary}. Above the retraining margin of ${Math.round(input.maeMargin * 100)} %: ` +
        'a retrain is planned when the champion has its recipe and none ran within the cooldown.',
      3000,
    ),
    links: input.reportUrl === undefined ? [] : [{ label: 'Drift report', url: input.reportUrl }],
    facts: {
      model: input.modelName,
      version: input.version,
      horizon: `+${input.horizonHours} h`,
      ...(input.ratio === undefined ? {} : { 'live / holdout MAE': Number(input.ratio.toFixed(2)) }),
    },
    at: input.at,
    workflowId: input.workflowId,
  };
}

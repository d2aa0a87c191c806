import { Context } from '@temporalio/activity';

import type { MlflowClient } from '../adapters/mlflow/client';
import { describeError } from '../core/errors';
import type { LiveAccuracy } from '../core/monitoring/accuracy/live-accuracy';
import { accuracyVerdict, weighEvidence } from '../core/monitoring/retraining/evidence';
import {
  retrainingPolicy,
  type RetrainingOverrides,
  type RetrainingPolicy,
} from '../core/monitoring/retraining/policy';
import {
  retrainRequest,
  retrainWorkflowId,
  type RetrainRequest,
  type RetrainTrigger,
} from '../core/monitoring/retraining/request';

import type { MonitoringRepository, RetrainingRepository } from './repositories';

/**
 * Retraining on evidence (issue 14, deliverable 4), after a champion's drift report: `planRetraining` weighs
 * the evidence (core/monitoring/retraining/evidence.ts), and when it is enough, claims the retrain in the
 * ledger (one run per model within the cooldown) and returns the trainingPipeline input with the trigger
 * the approver will see. The workflow starts (or joins) the run.
 */

export interface RetrainingDeps {
  mlflow: MlflowClient;
  monitoring: MonitoringRepository;
  retraining: RetrainingRepository;
  retrainingPolicy: RetrainingPolicy;
  /** The approval rules a retrain goes through, as every training run (PROMOTION_*), and the training queue. */
  promotion: { approvalTimeout: string; tolerance: number; trainingTaskQueue?: string };
}

export interface RetrainPlanInput {
  champion: { modelName: string; version: string; runId?: string; tags: Record<string, string> };
  /** The report just made: the end of its window is the end of the latest training windows. */
  report: { id: number; to: string };
  accuracy?: LiveAccuracy[];
  overrides?: RetrainingOverrides;
}

/** A horizon whose live MAE is worse than its holdout's by more than the margin, whatever the plan. */
export interface AccuracyDegradation {
  summary: string;
  accuracy: LiveAccuracy;
  maeMargin: number;
}

export type RetrainPlan = (
  | { action: 'none'; why: string }
  | { action: 'start' | 'join'; workflowId: string; request: RetrainRequest; trigger: RetrainTrigger }
) & { degraded?: AccuracyDegradation };

const triggerWorkflowId = (): string => {
  const execution = Context.current().info.workflowExecution as { workflowId: string } | undefined;
  if (!execution) throw new Error('retraining activities run inside a workflow');
  return execution.workflowId;
};

export function createRetrainingActivities(deps: RetrainingDeps) {
  return {
    /** The plan, and beside it the accuracy rule's verdict alone (people hear of it even when nothing retrains). */
    async planRetraining(input: RetrainPlanInput): Promise<RetrainPlan> {
      const policy = retrainingPolicy.parse({ ...deps.retrainingPolicy, ...input.overrides });
      const accuracy = accuracyVerdict(input.accuracy ?? [], policy);
      const plan = await weighAndClaim(input, policy);
      if (!accuracy.retrain || accuracy.evidence.accuracy === undefined) return plan;
      const { summary, accuracy: worst } = accuracy.evidence;
      return { ...plan, degraded: { summary, accuracy: worst, maeMargin: policy.maeMargin } };
    },
  };

  /** Weighs every kind of evidence; when it is enough, claims the retrain and builds the run's input. */
  async function weighAndClaim(input: RetrainPlanInput, policy: RetrainingPolicy): Promise<RetrainPlan> {
    const { champion } = input;
    if (champion.tags['aqi.kind'] === undefined) {
      return {
        action: 'none',
        why: `version ${champion.version} has no recipe tags (not registered by trainingPipeline)`,
      };
    }
    const reports = await deps.monitoring.driftVerdicts(champion.modelName, champion.version);
    const verdict = weighEvidence({ reports, accuracy: input.accuracy ?? [], policy });
    if (!verdict.retrain) return { action: 'none', why: verdict.why };
    const { evidence } = verdict;

    const run = champion.runId === undefined ? undefined : await deps.mlflow.getRun(champion.runId);
    let request: RetrainRequest;
    try {
      request = retrainRequest({
        modelName: champion.modelName,
        versionTags: champion.tags,
        runParams: run?.params ?? {},
        to: input.report.to,
        ...deps.promotion,
      });
    } catch (err) {
      // A recipe that no longer validates cannot be fixed by a retry: say so, start nothing.
      return {
        action: 'none',
        why: `evidence to retrain, but the champion's recipe is unusable: ${describeError(err)}`,
      };
    }
    const monitorWorkflowId = triggerWorkflowId();
    const claim = await deps.retraining.claim({
      triggerWorkflowId: monitorWorkflowId,
      modelName: champion.modelName,
      modelVersion: champion.version,
      evidence,
      trainingWorkflowId: retrainWorkflowId({
        modelName: champion.modelName,
        fromVersion: champion.version,
        reason: evidence.reason,
        windowTo: input.report.to,
      }),
      at: new Date().toISOString(),
      cooldownMs: policy.cooldownMs,
    });
    const trigger: RetrainTrigger = {
      reason: evidence.reason,
      summary: evidence.summary,
      modelName: champion.modelName,
      fromVersion: champion.version,
      monitorWorkflowId,
      ...(evidence.reportId === undefined ? {} : { reportId: evidence.reportId }),
      ...(evidence.reportUrl === undefined ? {} : { reportUrl: evidence.reportUrl }),
      evidence,
      claimedAt: claim.claimedAt,
      cooldownUntil: claim.cooldownUntil,
    };
    return {
      action: claim.outcome === 'started' ? 'start' : 'join',
      workflowId: claim.trainingWorkflowId,
      request,
      trigger,
    };
  }
}

export type RetrainingActivities = ReturnType<typeof createRetrainingActivities>;

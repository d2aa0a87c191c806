/**
 * doctor: checks every dependency of the platform end to end and returns a report.
 *   1. Run the four checks in parallel (PostgreSQL, Kafka, MLflow, Temporal visibility); each is an
 *      activity retried a few times, and a check that still fails is reported, not thrown.
 *   2. Record the report in PostgreSQL (best effort: PostgreSQL may be the thing that is down).
 *   3. Return the report.
 */
import { ApplicationFailure, log, proxyActivities, workflowInfo } from '@temporalio/workflow';

import type { DoctorActivities } from '../activities/doctor';
import { summarizeChecks, type Dependency, type DependencyCheck, type DoctorReport } from '../core/doctor';

// A dependency that is down stays down for longer than a doctor run should wait: three quick tries.
const checks = proxyActivities<DoctorActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { maximumAttempts: 3, initialInterval: '1 second', backoffCoefficient: 2 },
});

export async function doctor(): Promise<DoctorReport> {
  const results = await Promise.all([
    attempt('postgres', checks.checkPostgres),
    attempt('kafka', checks.checkKafka),
    attempt('mlflow', checks.checkMlflow),
    attempt('temporal', checks.checkTemporalVisibility),
  ]);
  const report = summarizeChecks(results, new Date().toISOString());
  try {
    await checks.recordPlatformCheck({ workflowId: workflowInfo().workflowId, report });
  } catch (err) {
    log.warn('could not record the doctor report', { error: String(err) });
  }
  return report;
}

async function attempt(dependency: Dependency, check: () => Promise<DependencyCheck>): Promise<DependencyCheck> {
  const started = Date.now();
  try {
    return await check();
  } catch (err) {
    const cause = err instanceof ApplicationFailure || !(err instanceof Error) ? err : (err.cause ?? err);
    return {
      dependency,
      ok: false,
      detail: cause instanceof Error ? cause.message : String(cause),
      latencyMs: Date.now() - started,
    };
  }
}

/**
 * monitorChampions: `monitorChampion` for every model that has a champion, as children (ids
 * `<this run's id>-<model>`), one after the other. What the daily schedule, the `aqi_monitoring` DAG,
 * `airq monitor` and `npm start` run. A child that fails is reported and the others still run.
 */
import { executeChild, proxyActivities, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';

import type { MonitoringActivities } from '../activities/monitoring';
import { searchAttributes } from '../temporal/search-attributes';

import { monitorChampion, type MonitorChampionInput, type MonitorChampionResult } from './monitor-champion';
import { recordTriggers } from './work-triggers';

export type MonitorChampionsInput = Omit<MonitorChampionInput, 'modelName'>;

export interface MonitorChampionsResult {
  reports: (MonitorChampionResult & { workflowId: string })[];
  failed: { modelName: string; workflowId: string; error: string }[];
}

const { listChampions } = proxyActivities<MonitoringActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export async function monitorChampions(input: MonitorChampionsInput = {}): Promise<MonitorChampionsResult> {
  recordTriggers();
  upsertSearchAttributes([{ key: searchAttributes.pipeline, value: 'monitorChampions' }]);
  const result: MonitorChampionsResult = { reports: [], failed: [] };
  for (const modelName of await listChampions()) {
    const workflowId = `${workflowInfo().workflowId}-${modelName}`;
    try {
      const report = await executeChild(monitorChampion, { workflowId, args: [{ ...input, modelName }] });
      result.reports.push({ ...report, workflowId });
    } catch (err) {
      result.failed.push({ modelName, workflowId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  upsertMemo({
    monitoring: Object.fromEntries(
      result.reports.map((r) => [r.modelName, r.links?.html ?? r.links?.run ?? r.reason ?? r.outcome]),
    ),
  });
  return result;
}

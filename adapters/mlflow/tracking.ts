import { hasErrorCode, undefinedIfMissing, type MlflowHttp } from './http';
import { planLogBatches, type LogBatchInput } from './log-batch';
import {
  acknowledged,
  createExperimentResponse,
  getExperimentResponse,
  runResponse,
  searchExperimentsResponse,
  searchRunsResponse,
  toKeyValues,
  type MlflowExperiment,
  type MlflowRun,
} from './schemas';
import { filterKey, filterValue } from './search-filter';

/** Experiments and runs: `/api/2.0/mlflow/experiments/*` and `/api/2.0/mlflow/runs/*`. */

export type RunStatus = 'FINISHED' | 'FAILED' | 'KILLED';

export interface MlflowTracking {
  searchExperiments(maxResults?: number): Promise<MlflowExperiment[]>;
  getOrCreateExperiment(name: string, tags?: Record<string, string>): Promise<string>;
  createRun(input: {
    experimentId: string;
    runName?: string;
    startTime?: number;
    tags?: Record<string, string>;
  }): Promise<MlflowRun>;
  getRun(runId: string): Promise<MlflowRun | undefined>;
  findRunsByTag(experimentId: string, key: string, value: string): Promise<MlflowRun[]>;
  logBatch(runId: string, input: LogBatchInput): Promise<void>;
  finishRun(runId: string, status: RunStatus, endTime?: number): Promise<void>;
}

export function createTracking(http: MlflowHttp): MlflowTracking {
  const experimentByName = (name: string) =>
    undefinedIfMissing(
      http.call('/api/2.0/mlflow/experiments/get-by-name', getExperimentResponse, {
        query: { experiment_name: name },
      }),
    );

  return {
    searchExperiments: async (maxResults = 10) =>
      (
        await http.call('/api/2.0/mlflow/experiments/search', searchExperimentsResponse, {
          query: { max_results: maxResults },
        })
      ).experiments,

    async getOrCreateExperiment(name, tags) {
      const existing = (await experimentByName(name))?.experiment;
      if (existing !== undefined) {
        // A deleted experiment keeps its name: creating another one under it is refused, so bring it back.
        if (existing.lifecycle_stage === 'deleted') {
          await http.call('/api/2.0/mlflow/experiments/restore', acknowledged, {
            method: 'POST',
            json: { experiment_id: existing.experiment_id },
          });
        }
        return existing.experiment_id;
      }
      try {
        const created = await http.call('/api/2.0/mlflow/experiments/create', createExperimentResponse, {
          method: 'POST',
          json: { name, tags: toKeyValues(tags) },
        });
        return created.experiment_id;
      } catch (err) {
        // Somebody else created it between our lookup and our create.
        if (!hasErrorCode(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
        const raced = await experimentByName(name);
        if (raced === undefined) throw err;
        return raced.experiment.experiment_id;
      }
    },

    createRun: async ({ experimentId, runName, startTime, tags }) =>
      (
        await http.call('/api/2.0/mlflow/runs/create', runResponse, {
          method: 'POST',
          retryable: false,
          // Without start_time MLflow records 0 (1970).
          json: {
            experiment_id: experimentId,
            run_name: runName,
            start_time: startTime ?? Date.now(),
            tags: toKeyValues(tags),
          },
        })
      ).run,

    getRun: async (runId) =>
      (await undefinedIfMissing(http.call('/api/2.0/mlflow/runs/get', runResponse, { query: { run_id: runId } })))?.run,

    async findRunsByTag(experimentId, key, value) {
      const filter = `tags.${filterKey(key)} = ${filterValue(value)}`;
      const runs: MlflowRun[] = [];
      let pageToken: string | undefined;
      do {
        const page = await http.call('/api/2.0/mlflow/runs/search', searchRunsResponse, {
          method: 'POST',
          json: { experiment_ids: [experimentId], filter, max_results: 1000, page_token: pageToken },
        });
        runs.push(...page.runs);
        pageToken = page.next_page_token || undefined;
      } while (pageToken !== undefined);
      return runs;
    },

    async logBatch(runId, input) {
      // One request after the other: a failure leaves a prefix logged, and re-logging an identical param is
      // accepted by MLflow, so the caller can simply retry the whole call.
      for (const batch of planLogBatches(input)) {
        await http.call('/api/2.0/mlflow/runs/log-batch', acknowledged, {
          method: 'POST',
          json: { run_id: runId, ...batch },
        });
      }
    },

    async finishRun(runId, status, endTime) {
      await http.call('/api/2.0/mlflow/runs/update', acknowledged, {
        method: 'POST',
        json: { run_id: runId, status, end_time: endTime ?? Date.now() },
      });
    },
  };
}

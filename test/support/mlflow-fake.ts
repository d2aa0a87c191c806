import type { MlflowClient, MlflowModelVersion, MlflowRun } from '../../adapters/mlflow/client';
import { MlflowRequestError } from '../../adapters/mlflow/http';

/**
 * The MLflow calls the monitoring activities make, over memory: registered models with their champion
 * versions, runs with params, metrics and tags, artifacts by run and path. What was written stays open to
 * inspection (`created`, `logged`, `artifacts`, `finished`).
 */
export function fakeMlflow(
  options: {
    /** Registered model → its champion version (undefined: a model without a champion). */
    champions?: Record<string, Omit<MlflowModelVersion, 'name' | 'source' | 'status' | 'aliases'> | undefined>;
    runs?: MlflowRun[];
  } = {},
) {
  const runs = new Map((options.runs ?? []).map((r) => [r.runId, r]));
  const artifacts = new Map<string, Buffer>();
  const logged: { runId: string; input: unknown }[] = [];
  const finished: { runId: string; status: string }[] = [];
  let created = 0;
  const mlflow = {
    async searchRegisteredModels() {
      return Object.keys(options.champions ?? {});
    },
    async getVersionByAlias(name: string) {
      const champions = options.champions ?? {};
      if (!(name in champions)) {
        throw new MlflowRequestError('registered-models/alias', 404, 'RESOURCE_DOES_NOT_EXIST', name);
      }
      const version = champions[name];
      return version && { ...version, name, source: '', status: 'READY', aliases: ['champion'] };
    },
    async getOrCreateExperiment() {
      return '9';
    },
    async findRunsByTag(_experiment: string, key: string, value: string) {
      return [...runs.values()].filter((r) => r.tags[key] === value);
    },
    async createRun(input: { experimentId: string; runName?: string; tags?: Record<string, string> }) {
      created += 1;
      const runId = `mon-${created}`;
      const run: MlflowRun = {
        runId,
        experimentId: input.experimentId,
        status: 'RUNNING',
        artifactUri: `mlflow-artifacts:/9/${runId}/artifacts`,
        params: {},
        metrics: {},
        tags: input.tags ?? {},
      };
      runs.set(runId, run);
      return run;
    },
    async getRun(runId: string) {
      return runs.get(runId);
    },
    async uploadArtifact(run: { runId: string }, path: string, body: string | Uint8Array) {
      artifacts.set(`${run.runId}/${path}`, Buffer.from(body));
    },
    async downloadArtifact(run: { runId: string }, path: string) {
      const body = artifacts.get(`${run.runId}/${path}`);
      if (!body) throw new MlflowRequestError('artifacts', 404, undefined, `no artifact ${path}`);
      return body;
    },
    async logBatch(runId: string, input: unknown) {
      logged.push({ runId, input });
    },
    async finishRun(runId: string, status: string) {
      finished.push({ runId, status });
    },
  } as unknown as MlflowClient;
  return {
    mlflow,
    artifacts,
    logged,
    finished,
    runs,
    get created() {
      return created;
    },
  };
}

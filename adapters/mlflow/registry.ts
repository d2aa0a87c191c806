import { hasErrorCode, undefinedIfMissing, type MlflowHttp } from './http';
import {
  acknowledged,
  modelVersionResponse,
  registeredModelResponse,
  searchModelVersionsResponse,
  searchRegisteredModelsResponse,
  toKeyValues,
  type MlflowModelVersion,
} from './schemas';

/**
 * The model registry: `/api/2.0/mlflow/registered-models/*` and `/api/2.0/mlflow/model-versions/*`.
 * Versions are designated by aliases (`challenger`, `champion`), never by the deprecated stages.
 */

export interface MlflowRegistry {
  searchRegisteredModels(maxResults?: number): Promise<string[]>;
  createRegisteredModel(name: string, input?: { description?: string; tags?: Record<string, string> }): Promise<void>;
  createModelVersion(input: {
    name: string;
    source: string;
    runId: string;
    description?: string;
    tags?: Record<string, string>;
  }): Promise<MlflowModelVersion>;
  /** `filter` in MLflow's syntax, e.g. `name='aqi' and run_id='…'` (see search-filter.ts for quoting). */
  searchModelVersions(filter: string, maxResults?: number): Promise<MlflowModelVersion[]>;
  getModelVersion(name: string, version: string): Promise<MlflowModelVersion | undefined>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
  setAlias(name: string, alias: string, version: string): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<MlflowModelVersion | undefined>;
}

export function createRegistry(http: MlflowHttp): MlflowRegistry {
  const aliasPath = '/api/2.0/mlflow/registered-models/alias';

  return {
    searchRegisteredModels: async (maxResults = 10) =>
      (
        await http.call('/api/2.0/mlflow/registered-models/search', searchRegisteredModelsResponse, {
          query: { max_results: maxResults },
        })
      ).registered_models.map((m) => m.name),

    async createRegisteredModel(name, input = {}) {
      try {
        await http.call('/api/2.0/mlflow/registered-models/create', acknowledged, {
          method: 'POST',
          json: { name, description: input.description, tags: toKeyValues(input.tags) },
        });
      } catch (err) {
        // Already there (a retry, or another worker): the model is what was asked for; it is left as it is.
        if (!hasErrorCode(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      }
    },

    createModelVersion: async ({ name, source, runId, description, tags }) =>
      (
        await http.call('/api/2.0/mlflow/model-versions/create', modelVersionResponse, {
          method: 'POST',
          retryable: false,
          json: { name, source, run_id: runId, description, tags: toKeyValues(tags) },
        })
      ).model_version,

    async searchModelVersions(filter, maxResults = 1000) {
      const versions: MlflowModelVersion[] = [];
      let pageToken: string | undefined;
      do {
        const page = await http.call('/api/2.0/mlflow/model-versions/search', searchModelVersionsResponse, {
          query: { filter, max_results: maxResults - versions.length, page_token: pageToken },
        });
        versions.push(...page.model_versions);
        pageToken = page.next_page_token || undefined;
      } while (pageToken !== undefined && versions.length < maxResults);
      return versions;
    },

    getModelVersion: async (name, version) =>
      (
        await undefinedIfMissing(
          http.call('/api/2.0/mlflow/model-versions/get', modelVersionResponse, { query: { name, version } }),
        )
      )?.model_version,

    async setModelVersionTag(name, version, key, value) {
      await http.call('/api/2.0/mlflow/model-versions/set-tag', acknowledged, {
        method: 'POST',
        json: { name, version, key, value },
      });
    },

    async setAlias(name, alias, version) {
      // Setting an alias moves it: MLflow keeps at most one version per alias.
      await http.call(aliasPath, acknowledged, { method: 'POST', json: { name, alias, version } });
    },

    async deleteAlias(name, alias) {
      // MLflow answers 200 for an absent alias; an absent model has no alias either.
      await undefinedIfMissing(http.call(aliasPath, acknowledged, { method: 'DELETE', json: { name, alias } }));
    },

    async getVersionByAlias(name, alias) {
      try {
        const found = await undefinedIfMissing(http.call(aliasPath, modelVersionResponse, { query: { name, alias } }));
        return found?.model_version;
      } catch (err) {
        // MLflow reports an unset alias as INVALID_PARAMETER_VALUE, the code of real mistakes too; rather than
        // read the message, ask the model: an alias it does not list is carried by no version.
        if (!hasErrorCode(err, 'INVALID_PARAMETER_VALUE')) throw err;
        const model = await undefinedIfMissing(
          http.call('/api/2.0/mlflow/registered-models/get', registeredModelResponse, { query: { name } }),
        );
        if (model?.registered_model.aliases.some((a) => a.alias === alias)) throw err;
        return undefined;
      }
    },
  };
}

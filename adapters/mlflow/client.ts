import { z } from 'zod';

import { AppError } from '../../core/errors';

const experiment = z.object({ experiment_id: z.string(), name: z.string(), lifecycle_stage: z.string().optional() });
const searchExperimentsResponse = z.object({ experiments: z.array(experiment).optional().default([]) });
const registeredModel = z.object({ name: z.string() });
const searchRegisteredModelsResponse = z.object({
  registered_models: z.array(registeredModel).optional().default([]),
});

export type MlflowExperiment = z.infer<typeof experiment>;

export interface MlflowClient {
  readonly baseUrl: string;
  searchExperiments(maxResults?: number): Promise<MlflowExperiment[]>;
  searchRegisteredModels(maxResults?: number): Promise<string[]>;
}

/**
 * A typed client for MLflow's REST API: every response is validated, 5xx answers and network errors are
 * retried with backoff, anything else becomes an AppError naming the endpoint.
 */
export function createMlflowClient(
  baseUrl: string,
  options: { retries?: number; timeoutMs?: number } = {},
): MlflowClient {
  const retries = options.retries ?? 3;
  const request = async <T extends z.ZodType>(path: string, schema: T): Promise<z.output<T>> => {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
      } catch (err) {
        if (attempt < retries) {
          await backoff(attempt);
          continue;
        }
        throw new AppError('MLFLOW_UNREACHABLE', `MLflow at ${baseUrl} did not answer ${path}`, { cause: err });
      }
      if (response.status >= 500 && attempt < retries) {
        await backoff(attempt);
        continue;
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        throw new AppError(
          'MLFLOW_REQUEST_FAILED',
          `MLflow ${path} answered ${response.status}: ${JSON.stringify(body)}`,
        );
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new AppError(
          'MLFLOW_BAD_RESPONSE',
          `MLflow ${path} answered an unexpected body: ${parsed.error.message}`,
        );
      }
      return parsed.data;
    }
  };

  return {
    baseUrl,
    searchExperiments: async (maxResults = 10) =>
      (await request(`/api/2.0/mlflow/experiments/search?max_results=${maxResults}`, searchExperimentsResponse))
        .experiments,
    searchRegisteredModels: async (maxResults = 10) =>
      (
        await request(
          `/api/2.0/mlflow/registered-models/search?max_results=${maxResults}`,
          searchRegisteredModelsResponse,
        )
      ).registered_models.map((m) => m.name),
  };
}

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));

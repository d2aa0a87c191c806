import { createArtifacts, type MlflowArtifacts } from './artifacts';
import { createMlflowHttp, type MlflowHttpOptions } from './http';
import { createRegistry, type MlflowRegistry } from './registry';
import { createTracking, type MlflowTracking } from './tracking';

export type { ArtifactRun, MlflowArtifact } from './artifacts';
export { MlflowRequestError, type MlflowHttpOptions } from './http';
export type { LogBatchInput } from './log-batch';
export type { MlflowExperiment, MlflowModelVersion, MlflowRun } from './schemas';
export { filterKey, filterValue } from './search-filter';
export type { RunStatus } from './tracking';

/**
 * A typed client for MLflow's REST API (tracking, artifacts through the server's proxy, model registry),
 * over plain fetch. Every answer is validated; 5xx, 429 and network failures are retried with backoff; a
 * refusal is an AppError('MLFLOW_REQUEST_FAILED') naming the endpoint and MLflow's error code. Creating
 * what already exists returns the existing thing; optional getters answer `undefined` for a missing one.
 */
export interface MlflowClient extends MlflowTracking, MlflowArtifacts, MlflowRegistry {
  readonly baseUrl: string;
}

export function createMlflowClient(baseUrl: string, options: MlflowHttpOptions = {}): MlflowClient {
  const http = createMlflowHttp(baseUrl, options);
  return { baseUrl: http.baseUrl, ...createTracking(http), ...createArtifacts(http), ...createRegistry(http) };
}

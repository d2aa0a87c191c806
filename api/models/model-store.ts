import type { Logger } from '../../adapters/logger';
import type { MlflowClient } from '../../adapters/mlflow/client';
import { downloadModel } from '../../adapters/mlflow/model-artifact';
import { describeError } from '../../core/errors';
import type { Model } from '../../core/ml/models';
import { modelAliases } from '../../core/training/promotion';

/** A champion as the API serves it. */
export interface LoadedModel {
  name: string;
  version: string;
  alias: string;
  runId: string;
  model: Model;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  loadedAt: string;
}

export interface ReloadOutcome {
  name: string;
  /** `loaded`: a new version is served; `unchanged`: already served; `absent`: no champion yet; `failed`: kept the previous one. */
  result: 'loaded' | 'unchanged' | 'absent' | 'failed';
  version?: string;
  error?: string;
}

export interface ModelStore {
  get(name: string): LoadedModel | undefined;
  list(): LoadedModel[];
  /** Looks up each model's `champion` alias and loads any new version; concurrent calls share one reload. */
  reload(): Promise<ReloadOutcome[]>;
  /** Polls the aliases every `intervalMs`, so a promotion by any path reaches every instance. */
  startPolling(intervalMs: number): void;
  stop(): void;
}

/**
 * The champions the API serves, read from the MLflow registry. A swap is atomic (one map entry replaced
 * once the new model is fully loaded) and a failed load keeps the previous model serving.
 */
export function createModelStore(deps: { mlflow: MlflowClient; modelNames: string[]; logger: Logger }): ModelStore {
  const { mlflow, logger } = deps;
  const loaded = new Map<string, LoadedModel>();
  let inFlight: Promise<ReloadOutcome[]> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function reloadOne(name: string): Promise<ReloadOutcome> {
    try {
      const version = await mlflow.getVersionByAlias(name, modelAliases.champion);
      if (!version?.runId) return { name, result: 'absent' };
      if (loaded.get(name)?.version === version.version) return { name, result: 'unchanged', version: version.version };
      const run = await mlflow.getRun(version.runId);
      if (!run) throw new Error(`run ${version.runId} of ${name} version ${version.version} is gone`);
      const model = await downloadModel(mlflow, run);
      loaded.set(name, {
        name,
        version: version.version,
        alias: modelAliases.champion,
        runId: version.runId,
        model,
        metrics: run.metrics,
        tags: version.tags,
        loadedAt: new Date().toISOString(),
      });
      logger.info({ model: name, version: version.version }, 'champion loaded');
      return { name, result: 'loaded', version: version.version };
    } catch (err) {
      logger.warn({ model: name, err: describeError(err) }, 'champion reload failed; the previous model keeps serving');
      return { name, result: 'failed', ...versionOf(loaded.get(name)), error: describeError(err) };
    }
  }

  const store: ModelStore = {
    get: (name) => loaded.get(name),
    list: () => [...loaded.values()],
    reload() {
      inFlight ??= Promise.all(deps.modelNames.map(reloadOne)).finally(() => (inFlight = undefined));
      return inFlight;
    },
    startPolling(intervalMs) {
      if (timer || intervalMs <= 0) return;
      timer = setInterval(() => void store.reload(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return store;
}

function versionOf(model: LoadedModel | undefined): { version?: string } {
  return model ? { version: model.version } : {};
}

import type { Logger } from '../../adapters/logger';
import type { MlflowClient } from '../../adapters/mlflow/client';
import { downloadModel } from '../../adapters/mlflow/model-artifact';
import { AppError, describeError } from '../../core/errors';
import type { Model } from '../../core/ml/models';
import { modelIdentityOf, type ModelIdentity } from '../../core/training/model-names';
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
  /**
   * `loaded`: a new version is served; `unchanged`: already served; `absent`: registered, no champion yet;
   * `retired`: its champion alias is gone, so it is no longer served; `failed`: kept the previous one.
   */
  result: 'loaded' | 'unchanged' | 'absent' | 'retired' | 'failed';
  version?: string;
  error?: string;
}

export interface ModelStore {
  get(name: string): LoadedModel | undefined;
  /** The served champions, by name. */
  list(): LoadedModel[];
  /**
   * Finds the platform's models in the registry (the instant model and every `aqi-eaqi-forecast-<h>h`) and
   * loads each new `champion` version; concurrent calls share one reload.
   */
  reload(): Promise<ReloadOutcome[]>;
  /** Reloads every `intervalMs`, so a promotion by any path, of any horizon, reaches every instance. */
  startPolling(intervalMs: number): void;
  stop(): void;
}

/**
 * MLflow's largest page of registered models. The platform registers one model per kind and horizon, so one
 * page holds them all unless the registry is shared with a thousand other models.
 */
const registryPage = 1000;

/**
 * The champions the API serves, read from the MLflow registry: whatever models named by
 * `core/training/model-names.ts` carry a `champion` alias, found again at every reload, so a new horizon is
 * served without a restart or a setting. A swap is atomic (one map entry replaced once the new model is fully
 * loaded), a failed load or an unreachable registry keeps the previous model serving, and a model whose
 * champion alias was removed stops being served.
 */
export function createModelStore(deps: { mlflow: MlflowClient; logger: Logger }): ModelStore {
  const { mlflow, logger } = deps;
  const loaded = new Map<string, LoadedModel>();
  let inFlight: Promise<ReloadOutcome[]> | undefined;
  let timer: NodeJS.Timeout | undefined;

  /** The registered models to look at: the platform's, plus those served now (to notice a removed alias). */
  async function namesToCheck(): Promise<string[]> {
    let registered: string[] = [];
    try {
      registered = (await mlflow.searchRegisteredModels(registryPage)).filter((n) => modelIdentityOf(n) !== undefined);
    } catch (err) {
      logger.warn({ err: describeError(err) }, 'listing the registered models failed; checking the served ones only');
    }
    return [...new Set([...registered, ...loaded.keys()])].sort();
  }

  async function reloadOne(name: string, identity: ModelIdentity): Promise<ReloadOutcome> {
    try {
      const version = await mlflow.getVersionByAlias(name, modelAliases.champion);
      if (!version) return retire(name);
      if (!version.runId) throw new Error(`${name} version ${version.version} was registered without a run`);
      if (loaded.get(name)?.version === version.version) return { name, result: 'unchanged', version: version.version };
      const run = await mlflow.getRun(version.runId);
      if (!run) throw new Error(`run ${version.runId} of ${name} version ${version.version} is gone`);
      const model = await downloadModel(mlflow, run);
      if (model.spec.kind !== identity.kind || model.spec.horizonHours !== identity.horizonHours) {
        throw new AppError(
          'MODEL_NAME_MISMATCH',
          `${name} version ${version.version} holds a ${model.spec.kind} model for +${model.spec.horizonHours} h, not what its name says`,
        );
      }
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

  function retire(name: string): ReloadOutcome {
    const served = loaded.get(name);
    if (!served) return { name, result: 'absent' };
    loaded.delete(name);
    logger.info({ model: name, version: served.version }, 'champion alias removed; the model is no longer served');
    return { name, result: 'retired', version: served.version };
  }

  async function reloadAll(): Promise<ReloadOutcome[]> {
    const names = await namesToCheck();
    return Promise.all(
      names.flatMap((name) => {
        const identity = modelIdentityOf(name);
        return identity ? [reloadOne(name, identity)] : [];
      }),
    );
  }

  const store: ModelStore = {
    get: (name) => loaded.get(name),
    list: () => [...loaded.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    reload() {
      inFlight ??= reloadAll().finally(() => (inFlight = undefined));
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

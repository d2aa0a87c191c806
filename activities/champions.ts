import type { MlflowClient, MlflowRun } from '../adapters/mlflow/client';
import { downloadModel } from '../adapters/mlflow/model-artifact';
import type { Model } from '../core/ml/models';
import { modelIdentityOf } from '../core/training/model-names';
import { modelAliases } from '../core/training/promotion';

/** What the monitoring activities share about served champions: which there are, their models and holdouts. */

export interface ServedChampion {
  modelName: string;
  version: string;
  runId?: string;
  tags: Record<string, string>;
}

/** The platform's registered models that have a `champion` alias, with that version; by name. */
export async function servedChampions(mlflow: MlflowClient): Promise<ServedChampion[]> {
  const names = (await mlflow.searchRegisteredModels(1000)).filter((n) => modelIdentityOf(n) !== undefined);
  const found = await Promise.all(
    names.map(async (name) => {
      const version = await mlflow.getVersionByAlias(name, modelAliases.champion);
      return version
        ? {
            modelName: name,
            version: version.version,
            ...(version.runId ? { runId: version.runId } : {}),
            tags: version.tags,
          }
        : undefined;
    }),
  );
  return found.filter((c): c is ServedChampion => c !== undefined).sort((a, b) => (a.modelName < b.modelName ? -1 : 1));
}

/** A version's MAE on its training holdout: metric `test_mae` of its run (evaluateCandidate), else its lineage tag. */
export function holdoutMaeOf(run: MlflowRun | undefined, tags: Readonly<Record<string, string>>): number | undefined {
  const metric = run?.metrics.test_mae;
  if (metric !== undefined && Number.isFinite(metric)) return metric;
  const tagged = Number(tags['aqi.holdout_mae']);
  return tags['aqi.holdout_mae'] !== undefined && Number.isFinite(tagged) ? tagged : undefined;
}

export interface LoadedChampion {
  model: Model;
  run: MlflowRun;
  holdoutMae?: number;
  holdoutRows?: number;
}

/**
 * Loads champions' models by name and version, each once per process: a version never changes, and the
 * hourly scoring would otherwise download every model every hour.
 */
export function championLoader(mlflow: MlflowClient) {
  const loaded = new Map<string, Promise<LoadedChampion | undefined>>();
  return (champion: ServedChampion): Promise<LoadedChampion | undefined> => {
    const key = `${champion.modelName}@${champion.version}`;
    let entry = loaded.get(key);
    if (!entry) {
      entry = (async () => {
        if (!champion.runId) return undefined;
        const run = await mlflow.getRun(champion.runId);
        if (!run) return undefined;
        const holdoutMae = holdoutMaeOf(run, champion.tags);
        const rows = run.metrics.test_rows;
        return {
          model: await downloadModel(mlflow, run),
          run,
          ...(holdoutMae === undefined ? {} : { holdoutMae }),
          ...(rows === undefined ? {} : { holdoutRows: rows }),
        };
      })();
      // A failure (MLflow away) is not remembered: the next call tries again.
      entry.catch(() => loaded.delete(key));
      loaded.set(key, entry);
    }
    return entry;
  };
}

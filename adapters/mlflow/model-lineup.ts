import { modelIdentityOf, type ModelIdentity } from '../../core/training/model-names';
import { modelAliases } from '../../core/training/promotion';

import type { MlflowClient, MlflowModelVersion } from './client';

/** One registered version as the dashboard shows it: its holdout accuracy and where to look further. */
export interface VersionInLineup {
  version: string;
  aliases: string[];
  runId?: string;
  workflowId?: string;
  algorithm?: string;
  /** The run's holdout figures: `test_*` (the candidate), `baseline_test_*`, `champion_test_*`. */
  holdout: Record<string, number>;
  createdAt?: string;
  /** The version's page and its run's page in the MLflow UI. */
  versionUrl: string;
  runUrl?: string;
}

export interface ModelLineup extends ModelIdentity {
  name: string;
  champion?: VersionInLineup;
  challenger?: VersionInLineup;
}

/** MLflow's largest page: the platform registers one model per kind and horizon. */
const registryPage = 1000;
const holdoutMetric = /^(test|baseline_test|champion_test)_/;

/**
 * The champion and the challenger of each of the platform's registered models, with the holdout metrics of
 * the training run behind each, read from the registry (the API's served models are only the champions).
 */
export async function modelLineups(mlflow: MlflowClient, mlflowUrl: string): Promise<ModelLineup[]> {
  const names = (await mlflow.searchRegisteredModels(registryPage)).filter((n) => modelIdentityOf(n)).sort();
  return Promise.all(
    names.map(async (name) => {
      const identity = modelIdentityOf(name) as ModelIdentity;
      const [champion, challenger] = await Promise.all(
        [modelAliases.champion, modelAliases.challenger].map(async (alias) => {
          const version = await mlflow.getVersionByAlias(name, alias);
          return version && (await describeVersion(mlflow, mlflowUrl, version));
        }),
      );
      return { name, ...identity, ...(champion ? { champion } : {}), ...(challenger ? { challenger } : {}) };
    }),
  );
}

async function describeVersion(
  mlflow: MlflowClient,
  mlflowUrl: string,
  version: MlflowModelVersion,
): Promise<VersionInLineup> {
  const run = version.runId ? await mlflow.getRun(version.runId) : undefined;
  const holdout = Object.fromEntries(Object.entries(run?.metrics ?? {}).filter(([k]) => holdoutMetric.test(k)));
  const tags = version.tags;
  return {
    version: version.version,
    aliases: version.aliases,
    ...(version.runId ? { runId: version.runId } : {}),
    ...(tags['aqi.workflow_id'] ? { workflowId: tags['aqi.workflow_id'] } : {}),
    ...(tags['aqi.algorithm'] ? { algorithm: tags['aqi.algorithm'] } : {}),
    holdout,
    ...(version.creationTimestamp ? { createdAt: new Date(Number(version.creationTimestamp)).toISOString() } : {}),
    versionUrl: `${mlflowUrl}/#/models/${encodeURIComponent(version.name)}/versions/${encodeURIComponent(version.version)}`,
    ...(run ? { runUrl: `${mlflowUrl}/#/experiments/${run.experimentId}/runs/${run.runId}` } : {}),
  };
}

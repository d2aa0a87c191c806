import { createHash } from 'node:crypto';

import { modelNameFor } from '../training/promotion';

import { canonicalJson } from './canonical-json';

/** What shapes a trained model, as the CLI, the API and Airflow ask for it. */
export interface TrainingWork {
  kind: 'instant' | 'forecast';
  horizonHours?: number;
  algorithm: string;
  params?: Record<string, unknown>;
  locationIds: readonly string[];
  trainFrom: string;
  validationFrom: string;
  testFrom: string;
  testTo: string;
  /** Registered model; default the kind's (`aqi-eaqi-instant`, `aqi-eaqi-forecast-24h`). */
  modelName?: string;
}

/**
 * `train-aqi-eaqi-instant-2025-01-01-<12 hex>`: the model's name, the holdout's end and the first 12 hex
 * digits of the sha256 of everything that shapes the model in canonical JSON. The same request joins the
 * run already training it; other params, places or windows start anew. The approval's deadline and
 * tolerance are not in it: they decide about the model, they do not shape it.
 */
export function trainingWorkId(work: TrainingWork): string {
  const horizonHours = work.kind === 'forecast' ? (work.horizonHours ?? 24) : 0;
  const name = work.modelName ?? modelNameFor(work.kind, horizonHours);
  const shape = canonicalJson({
    kind: work.kind,
    horizonHours,
    algorithm: work.algorithm,
    params: work.params ?? {},
    locationIds: [...new Set(work.locationIds)].sort(),
    trainFrom: work.trainFrom,
    validationFrom: work.validationFrom,
    testFrom: work.testFrom,
    testTo: work.testTo,
    modelName: name,
  });
  const digest = createHash('sha256').update(shape, 'utf8').digest('hex').slice(0, 12);
  return `train-${name}-${work.testTo.slice(0, 10)}-${digest}`;
}

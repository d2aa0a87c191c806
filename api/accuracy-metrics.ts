import type pg from 'pg';
import type { Registry } from 'prom-client';

import { liveAccuracy } from '../adapters/postgres/prediction-log';
import type { LiveAccuracy } from '../core/monitoring/accuracy/live-accuracy';

import { scrapeReadGauges } from './scrape-gauges';

/** The rolling window of the live-accuracy gauges: a week of target hours, as GET /monitoring/accuracy's default. */
export const liveAccuracyGaugeHours = 168;

/**
 * Live accuracy on the API's /metrics (the prediction log, read at each scrape): per model, version and
 * horizon, the rolling MAE, the hours it rests on, the holdout MAE and their ratio.
 */
export function accuracyGauges(registry: Registry, pool: pg.Pool): void {
  const gauge = scrapeReadGauges(registry, {
    read: () => liveAccuracy(pool, { hours: liveAccuracyGaugeHours }),
    labelNames: ['model', 'version', 'horizon'],
    labelsOf: (a: LiveAccuracy) => ({ model: a.modelName, version: a.modelVersion, horizon: String(a.horizonHours) }),
  });
  gauge(
    'aqi_live_mae',
    'Rolling MAE of the predictions logged for real hours (last week of resolved target hours)',
    (a) => a.mae,
  );
  gauge('aqi_live_mae_hours', 'Distinct target hours with their actual behind aqi_live_mae', (a) => a.hours);
  gauge('aqi_live_holdout_mae', "The model version's MAE on its training holdout", (a) => a.holdoutMae);
  gauge('aqi_live_mae_ratio', 'aqi_live_mae / aqi_live_holdout_mae (1: as good as on the holdout)', (a) => a.ratio);
}

import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';

import { liveAccuracy } from '../adapters/postgres/prediction-log';
import type { LiveAccuracy } from '../core/monitoring/accuracy/live-accuracy';

/** The rolling window of the live-accuracy gauges: a week of target hours, as GET /monitoring/accuracy's default. */
export const liveAccuracyGaugeHours = 168;

/**
 * Live accuracy on the API's /metrics (the prediction log, read at each scrape): per model, version and
 * horizon, the rolling MAE, the hours it rests on, the holdout MAE and their ratio.
 */
export function accuracyGauges(registry: Registry, pool: pg.Pool): void {
  const labelNames = ['model', 'version', 'horizon'] as const;
  // One read per scrape: the first gauge collected reads, the others reuse it.
  let read: Promise<LiveAccuracy[]> | undefined;
  const latest = () => {
    read ??= liveAccuracy(pool, { hours: liveAccuracyGaugeHours })
      .catch(() => [])
      .finally(() => setImmediate(() => (read = undefined)));
    return read;
  };
  const gauge = (name: string, help: string, value: (a: LiveAccuracy) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      aggregator: 'max',
      async collect() {
        this.reset();
        for (const a of await latest()) {
          const v = value(a);
          if (v !== undefined)
            this.set({ model: a.modelName, version: a.modelVersion, horizon: String(a.horizonHours) }, v);
        }
      },
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

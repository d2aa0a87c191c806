import type { RequestHandler } from 'express';
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import { latestMonitoringReports } from '../adapters/postgres/monitoring-reports';

import { accuracyGauges } from './accuracy-metrics';
import type { ClusterLink } from './cluster/ipc';
import type { ModelStore } from './models/model-store';
import { scrapeReadGauges } from './scrape-gauges';

/**
 * The API's Prometheus metrics, one registry per app (tests build several apps in one process):
 * request latency by route, predictions by model version, the served versions, and Node process metrics;
 * with a cluster link, summed over every API process. With `monitoring`, the newest stored drift report of
 * each model and the live accuracy of each version as gauges, read from PostgreSQL (where the worker writes
 * them) at each scrape.
 */
export function createApiMetrics(store: ModelStore, cluster?: ClusterLink, monitoring?: { pool: pg.Pool }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aqi_api_' });
  const latency = new Histogram({
    name: 'aqi_api_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const predictions = new Counter({
    name: 'aqi_api_predictions_total',
    help: 'Rows predicted, by model and version',
    labelNames: ['model', 'version'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'aqi_api_model_info',
    help: 'The model versions being served (value 1), by name, version and alias',
    labelNames: ['model', 'version', 'alias'] as const,
    registers: [registry],
    // Summed over an API cluster it would count processes; every process serves the same champions.
    aggregator: 'max',
    collect() {
      this.reset();
      for (const m of store.list()) this.set({ model: m.name, version: m.version, alias: m.alias }, 1);
    },
  });

  if (monitoring) {
    monitoringGauges(registry, monitoring.pool);
    accuracyGauges(registry, monitoring.pool);
  }

  /** Times every request; the route is Express's pattern (`/pipelines/:id`), never the raw path. */
  const timeRequests: RequestHandler = (req, res, next) => {
    const end = latency.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ route, status: String(res.statusCode) });
    });
    next();
  };
  // In a cluster the primary asks every process for its metrics and sums them.
  cluster?.answer('metrics', () => registry.getMetricsAsJSON());
  const serve: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(cluster ? await cluster.ask<string>('metrics') : await registry.metrics());
  };
  return {
    timeRequests,
    serve,
    countPredictions: (model: string, version: string, rows: number) => predictions.inc({ model, version }, rows),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** The newest drift report of each model (monitorChampion), by model and version; empty when none is stored. */
function monitoringGauges(registry: Registry, pool: pg.Pool): void {
  const gauge = scrapeReadGauges(registry, {
    read: () => latestMonitoringReports(pool),
    labelNames: ['model', 'version'],
    labelsOf: (r) => ({ model: r.modelName, version: r.modelVersion }),
  });
  const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);
  gauge('aqi_monitoring_dataset_drift', 'Dataset drift in the newest drift report (1 drift, 0 none)', (r) =>
    flag(r.datasetDrift),
  );
  gauge('aqi_monitoring_drifted_share', 'Share of drifted features in the newest drift report', (r) => r.driftedShare);
  gauge('aqi_monitoring_prediction_drift', 'Prediction drift in the newest drift report (1 drift, 0 none)', (r) =>
    flag(r.predictionDrift),
  );
  gauge(
    'aqi_monitoring_target_drift',
    'Target (actual index) drift in the newest drift report (1 drift, 0 none)',
    (r) => flag(r.targetDrift),
  );
  gauge(
    'aqi_monitoring_report_timestamp_seconds',
    'When the newest drift report was stored (Unix seconds)',
    (r) => Date.parse(r.createdAt) / 1000,
  );
  gauge(
    'aqi_monitoring_report_ok',
    'Whether the newest report could be made (1) or had no reference snapshot (0)',
    (r) => (r.status === 'reported' ? 1 : 0),
  );
}

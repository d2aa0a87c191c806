import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import { anomalyTypes } from '../../core/sensors/anomaly';
import { sensorDeadLetterKinds } from '../../core/sensors/messages';

import type { DetectorObserver } from './processor';

const stageBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The anomaly detector's Prometheus metrics (prefix `aqi_detector_`): records and readings through it,
 * anomalies by type, dead letters by kind, the partitions' lag, where each chunk's time goes, and how old
 * a chunk's oldest record is when its transaction commits (produce → stored). Fed by the processor's
 * observer; served by the process (`adapters/metrics/serve.ts`).
 */
export function createDetectorMetrics(): { registry: Registry; observer: DetectorObserver } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aqi_detector_' });
  const registers = [registry];
  const records = new Counter({
    name: 'aqi_detector_records_total',
    help: 'Records of sensors.raw the detector consumed',
    registers,
  });
  const readings = new Counter({
    name: 'aqi_detector_readings_stored_total',
    help: 'Checked readings stored in sensor_readings (a duplicate is stored once)',
    registers,
  });
  const duplicates = new Counter({
    name: 'aqi_detector_duplicates_total',
    help: 'Readings already taken (same sensor and timestamp)',
    registers,
  });
  const deadLetters = new Counter({
    name: 'aqi_detector_dead_letters_total',
    help: 'Records sent to sensors.dlq, by kind (malformed, retired, late, future)',
    labelNames: ['kind'] as const,
    registers,
  });
  const anomalies = new Counter({
    name: 'aqi_detector_anomalies_total',
    help: 'Anomalies opened and closed, by type',
    labelNames: ['type', 'event'] as const,
    registers,
  });
  // Every type and event, and every kind, exported at 0 from the start: increase() and rate() take a series'
  // first sample as its starting point, so a series that appeared with its first event would hide that event
  // from the dashboards and the AnomaliesSpike rule (deploy/prometheus/alerts.test.yml).
  for (const type of anomalyTypes) for (const event of ['opened', 'closed']) anomalies.inc({ type, event }, 0);
  for (const kind of sensorDeadLetterKinds) deadLetters.inc({ kind }, 0);
  const chunkSeconds = new Histogram({
    name: 'aqi_detector_chunk_stage_seconds',
    help: "Time a chunk spends in each stage: state (load or check it), decode, check (the core), store (the chunk's transaction)",
    labelNames: ['stage'] as const,
    buckets: stageBuckets,
    registers,
  });
  const storedAfter = new Histogram({
    name: 'aqi_detector_stored_after_seconds',
    help: "From a chunk's oldest record's Kafka timestamp to its transaction's commit",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });
  const publishSeconds = new Histogram({
    name: 'aqi_detector_outbox_publish_seconds',
    help: 'Time to read, publish and clear one batch of the outbox',
    buckets: stageBuckets,
    registers,
  });
  const published = new Counter({
    name: 'aqi_detector_outbox_published_total',
    help: 'Outbox entries published (Kafka messages, incidents opened or closed)',
    registers,
  });
  const lag = new Gauge({
    name: 'aqi_detector_partition_lag',
    help: 'Records of a sensors.raw partition not yet fetched after the last chunk',
    labelNames: ['partition'] as const,
    registers,
  });

  const observer: DetectorObserver = {
    chunkStored(report) {
      records.inc(report.records);
      readings.inc(report.readingsStored);
      duplicates.inc(report.duplicates);
      for (const [kind, n] of Object.entries(report.deadLetters)) deadLetters.inc({ kind }, n);
      for (const a of report.anomalies) anomalies.inc({ type: a.type, event: a.closed ? 'closed' : 'opened' });
      for (const [stage, seconds] of Object.entries(report.seconds)) chunkSeconds.observe({ stage }, seconds);
      storedAfter.observe(report.storedAfterSeconds);
    },
    outboxPublished({ messages, seconds }) {
      published.inc(messages);
      publishSeconds.observe(seconds);
    },
    partitionLag(partition, n) {
      lag.set({ partition: String(partition) }, n);
    },
  };
  return { registry, observer };
}

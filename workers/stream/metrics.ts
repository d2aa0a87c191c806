import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import type { StreamObserver } from './processor';

/**
 * The stream processor's Prometheus metrics (prefix `aqi_stream_`): records of `aqi.raw` consumed, readings
 * stored, records dead-lettered, chunks that failed (and will be fetched again), the partitions' lag, a
 * chunk's time, and how old its oldest record is when it is committed (produce → stored). Fed by the
 * processor's observer; served by the process (`adapters/metrics/serve.ts`).
 */
export function createStreamMetrics(): { registry: Registry; observer: StreamObserver } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aqi_stream_' });
  const registers = [registry];
  const records = new Counter({
    name: 'aqi_stream_records_total',
    help: 'Records of aqi.raw the stream processor consumed (committed chunks)',
    registers,
  });
  const stored = new Counter({
    name: 'aqi_stream_readings_stored_total',
    help: 'Readings the upsert wrote (a redelivered, identical reading writes nothing)',
    registers,
  });
  const deadLetters = new Counter({
    name: 'aqi_stream_dead_letters_total',
    help: 'Records sent to aqi.dlq (not JSON, off contract, key mismatch, unknown location)',
    registers,
  });
  const failures = new Counter({
    name: 'aqi_stream_chunk_failures_total',
    help: 'Chunks that failed (database or broker away): nothing committed, fetched again',
    registers,
  });
  const chunkSeconds = new Histogram({
    name: 'aqi_stream_chunk_seconds',
    help: 'Time to decode, index, store and publish one chunk and commit its offsets',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const storedAfter = new Histogram({
    name: 'aqi_stream_stored_after_seconds',
    help: "From a chunk's oldest record's Kafka timestamp to the commit of its offsets",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });
  const lag = new Gauge({
    name: 'aqi_stream_partition_lag',
    help: 'Records of an aqi.raw partition not yet fetched after the last committed chunk',
    labelNames: ['partition'] as const,
    registers,
  });

  const observer: StreamObserver = {
    chunkCommitted(report) {
      records.inc(report.consumed);
      stored.inc(report.stored);
      deadLetters.inc(report.deadLettered);
      chunkSeconds.observe(report.seconds);
      storedAfter.observe(report.storedAfterSeconds);
      lag.set({ partition: String(report.partition) }, report.lag);
    },
    chunkFailed() {
      failures.inc();
    },
  };
  return { registry, observer };
}

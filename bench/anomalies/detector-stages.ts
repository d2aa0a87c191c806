import { parseMetricSamples, sampleSum, type MetricSample } from '../../adapters/metrics/samples';

/** The detector process's metrics now (its DETECTOR_METRICS_PORT), or nothing when it serves none. */
export async function scrapeDetector(): Promise<MetricSample[] | undefined> {
  const url = `http://${process.env.BIND_HOST ?? '127.0.0.1'}:${process.env.DETECTOR_METRICS_PORT ?? '9466'}/metrics`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.ok ? parseMetricSamples(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

const stages = ['state', 'decode', 'check', 'store'] as const;

/**
 * Where the detector's chunks spent their time between two scrapes: per stage the mean in ms, the outbox
 * publish, and the share of chunks whose oldest record was stored within 0.5 s of its produce.
 */
export function describeStages(before: MetricSample[] | undefined, after: MetricSample[] | undefined): string {
  if (before === undefined || after === undefined) return 'detector metrics: not scraped';
  const delta = (name: string, labels: Record<string, string> = {}) =>
    sampleSum(after, name, labels) - sampleSum(before, name, labels);
  const mean = (name: string, labels: Record<string, string> = {}) => {
    const count = delta(`${name}_count`, labels);
    return count === 0 ? '-' : `${((1000 * delta(`${name}_sum`, labels)) / count).toFixed(1)} ms`;
  };
  const chunks = delta('aqi_detector_chunk_stage_seconds_count', { stage: 'store' });
  const stored = delta('aqi_detector_stored_after_seconds_count');
  const within = delta('aqi_detector_stored_after_seconds_bucket', { le: '0.5' });
  const records = delta('aqi_detector_records_total');
  return (
    `detector chunks: ${chunks} (${chunks === 0 ? '-' : (records / chunks).toFixed(0)} records each), mean per chunk ` +
    stages.map((stage) => `${stage} ${mean('aqi_detector_chunk_stage_seconds', { stage })}`).join(', ') +
    `; outbox publish ${mean('aqi_detector_outbox_publish_seconds')} a batch; oldest record stored within 0.5 s of its produce in ` +
    `${stored === 0 ? '-' : ((100 * within) / stored).toFixed(0)} % of chunks`
  );
}

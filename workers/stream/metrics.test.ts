import { parseMetricSamples, sampleSum } from '../../adapters/metrics/samples';

import { createStreamMetrics } from './metrics';

const chunk = { topic: 'aqi.raw', seconds: 0.2, storedAfterSeconds: 1.5 };

describe('createStreamMetrics', () => {
  it('when chunks are committed and one fails, then the counters add up and the lag is the last per partition', async () => {
    const { registry, observer } = createStreamMetrics();

    observer.chunkCommitted({ ...chunk, partition: 0, consumed: 100, stored: 90, deadLettered: 10, lag: 40 });
    observer.chunkCommitted({ ...chunk, partition: 0, consumed: 40, stored: 40, deadLettered: 0, lag: 0 });
    observer.chunkCommitted({ ...chunk, partition: 1, consumed: 5, stored: 0, deadLettered: 1, lag: 7 });
    observer.chunkFailed({ topic: 'aqi.raw', partition: 1 });
    const samples = parseMetricSamples(await registry.metrics());

    expect(sampleSum(samples, 'aqi_stream_records_total')).toBe(145);
    expect(sampleSum(samples, 'aqi_stream_readings_stored_total')).toBe(130);
    expect(sampleSum(samples, 'aqi_stream_dead_letters_total')).toBe(11);
    expect(sampleSum(samples, 'aqi_stream_chunk_failures_total')).toBe(1);
    expect(sampleSum(samples, 'aqi_stream_partition_lag', { partition: '0' })).toBe(0);
    expect(sampleSum(samples, 'aqi_stream_partition_lag', { partition: '1' })).toBe(7);
    expect(sampleSum(samples, 'aqi_stream_chunk_seconds_count')).toBe(3);
    expect(sampleSum(samples, 'aqi_stream_stored_after_seconds_sum')).toBeCloseTo(4.5);
  });
});

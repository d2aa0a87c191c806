import { parseMetricSamples, sampleSum } from '../../adapters/metrics/samples';
import { anomalyTypes } from '../../core/sensors/anomaly';
import { sensorDeadLetterKinds } from '../../core/sensors/messages';

import { createDetectorMetrics } from './metrics';

describe('createDetectorMetrics', () => {
  it('when the detector starts, then every anomaly type and event and every dead-letter kind is a series at 0', async () => {
    const samples = parseMetricSamples(await createDetectorMetrics().registry.metrics());

    const series = (name: string) => samples.filter((s) => s.name === name);

    expect(series('aqi_detector_anomalies_total')).toHaveLength(anomalyTypes.length * 2);
    expect(series('aqi_detector_dead_letters_total').map((s) => s.labels.kind)).toEqual([...sensorDeadLetterKinds]);
    expect(sampleSum(samples, 'aqi_detector_anomalies_total')).toBe(0);
    expect(sampleSum(samples, 'aqi_detector_dead_letters_total')).toBe(0);
  });
});

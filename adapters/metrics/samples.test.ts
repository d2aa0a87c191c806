import { Counter, Histogram, Registry } from 'prom-client';

import { parseMetricSamples, sampleSum } from './samples';

describe('parseMetricSamples', () => {
  it('when prom-client exposes a labelled histogram and counter, then every series comes back with its labels and value', async () => {
    const registry = new Registry();
    const stages = new Histogram({
      name: 'x_stage_seconds',
      help: 'h',
      labelNames: ['stage'] as const,
      buckets: [0.1, 1],
      registers: [registry],
    });
    const anomalies = new Counter({ name: 'x_total', help: 'c', labelNames: ['type'] as const, registers: [registry] });
    stages.observe({ stage: 'store' }, 0.5);
    stages.observe({ stage: 'store' }, 2);
    stages.observe({ stage: 'check' }, 0.05);
    anomalies.inc({ type: 'say "hi"\\now' }, 3);

    const samples = parseMetricSamples(await registry.metrics());

    expect(sampleSum(samples, 'x_stage_seconds_count', { stage: 'store' })).toBe(2);
    expect(sampleSum(samples, 'x_stage_seconds_sum', { stage: 'store' })).toBe(2.5);
    expect(sampleSum(samples, 'x_stage_seconds_bucket', { stage: 'store', le: '1' })).toBe(1);
    expect(sampleSum(samples, 'x_stage_seconds_bucket', { stage: 'check', le: '+Inf' })).toBe(1);
    expect(sampleSum(samples, 'x_stage_seconds_count')).toBe(3);
    expect(samples.find((s) => s.name === 'x_total')?.labels).toEqual({ type: 'say "hi"\\now' });
    expect(sampleSum(samples, 'x_total')).toBe(3);
    expect(sampleSum(samples, 'absent_total')).toBe(0);
  });

  it('when a line is not a sample, then it fails naming the line', () => {
    expect(() => parseMetricSamples('# HELP a b\nnot a sample line at all\n')).toThrow(/not a Prometheus sample line/);
    expect(() => parseMetricSamples('a{b=unquoted} 1')).toThrow(/unreadable labels/);
  });
});

import { logBatchLimits, planLogBatches } from './log-batch';

const numbered = <T>(count: number, value: (i: number) => T) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value(i)]));

describe('planLogBatches', () => {
  it('when a run logs 1,500 metrics, 150 params and 120 tags, then every request stays within MLflow limits', () => {
    const input = {
      metrics: numbered(1500, (i) => i / 10),
      params: numbered(150, (i) => i),
      tags: numbered(120, (i) => `tag ${i}`),
    };

    const batches = planLogBatches(input, 1_700_000_000_000);

    for (const batch of batches) {
      expect(batch.metrics.length).toBeLessThanOrEqual(logBatchLimits.metrics);
      expect(batch.params.length).toBeLessThanOrEqual(logBatchLimits.params);
      expect(batch.tags.length).toBeLessThanOrEqual(logBatchLimits.tags);
      expect(batch.metrics.length + batch.params.length + batch.tags.length).toBeLessThanOrEqual(logBatchLimits.items);
    }
    expect(batches.flatMap((b) => b.metrics)).toHaveLength(1500);
    expect(batches.flatMap((b) => b.params.map((p) => p.value))).toEqual(Object.values(input.params).map(String));
    expect(batches.flatMap((b) => b.tags)).toHaveLength(120);
    expect(batches).toHaveLength(2);
  });

  it('when metrics are logged, then they share the timestamp and step and non-finite values become strings', () => {
    const [batch] = planLogBatches({ metrics: { rmse: 1.5, bad: Number.NaN, top: -Infinity }, step: 3 }, 42);

    expect(batch?.metrics).toEqual([
      { key: 'rmse', value: 1.5, timestamp: 42, step: 3 },
      { key: 'bad', value: 'NaN', timestamp: 42, step: 3 },
      { key: 'top', value: '-Infinity', timestamp: 42, step: 3 },
    ]);
  });

  it('when values are large, then requests are cut by size too', () => {
    const batches = planLogBatches({
      tags: numbered(100, () => 'x'.repeat(8000)),
      params: numbered(100, () => 'y'.repeat(6000)),
    });

    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThan(1_000_000);
  });

  it('when nothing is logged, then no request is planned', () => {
    expect(planLogBatches({})).toEqual([]);
  });

  it('when a param value exceeds 6,000 characters, then nothing is planned and the error says why', () => {
    expect(() => planLogBatches({ params: { features: 'é'.repeat(6001) } })).toThrow(
      'param "features" is 6001 characters long; MLflow would cut it to 6000',
    );
    expect(planLogBatches({ params: { features: '😀'.repeat(6000) } })).toHaveLength(1);
  });

  it('when a key is empty or longer than 250 characters, then it is refused', () => {
    expect(() => planLogBatches({ metrics: { ['m'.repeat(251)]: 1 } })).toThrow('MLflow keys are 1 to 250 characters');
    expect(() => planLogBatches({ tags: { '': 'x' } })).toThrow('MLflow keys are 1 to 250 characters');
  });
});

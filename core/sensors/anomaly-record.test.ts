import { anomalyId, sensorAnomaly } from './anomaly';
import { anomalyOf } from './anomaly-record';

const fault = {
  sensorId: 'CAP_001',
  type: 'flatline' as const,
  measurement: 'pm2_5' as const,
  startMs: Date.parse('2024-03-01T10:00:00Z'),
  endMs: Date.parse('2024-03-01T10:09:00Z'),
  detectedMs: Date.parse('2024-03-01T10:09:00Z'),
  score: 1.99,
  evidence: { value: 12 },
};

describe('anomalyOf', () => {
  it('when a fault becomes an anomaly, then it is a valid event whose id is derived from sensor, type, measurement and start', () => {
    const anomaly = anomalyOf(fault, 2);

    expect(sensorAnomaly.parse(anomaly)).toEqual(anomaly);
    expect(anomaly).toMatchObject({
      id: anomalyId({ sensorId: 'CAP_001', type: 'flatline', measurement: 'pm2_5', start: '2024-03-01T10:00:00Z' }),
      window: { start: '2024-03-01T10:00:00.000Z', end: '2024-03-01T10:09:00.000Z' },
      detected_at: '2024-03-01T10:09:00.000Z',
    });
    expect(anomalyOf({ ...fault, endMs: fault.endMs + 60_000, score: 3 }, 2).id).toBe(anomaly.id);
  });

  it('when the score is just under the critical score, then a warning; at it, critical', () => {
    expect(anomalyOf(fault, 2).severity).toBe('warning');
    expect(anomalyOf({ ...fault, score: 2 }, 2).severity).toBe('critical');
  });

  it('when the fault is of the whole sensor, then the anomaly has no measurement', () => {
    const { measurement: _none, ...dropout } = { ...fault, type: 'dropout' as const };

    expect('measurement' in anomalyOf(dropout, 2)).toBe(false);
  });
});

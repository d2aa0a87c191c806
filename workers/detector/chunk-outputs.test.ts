import { anomalyId, type SensorAnomaly } from '../../core/sensors/anomaly';
import type { SensorDeadLetter } from '../../core/sensors/messages';
import type { SensorReading } from '../../core/sensors/reading';

import { chunkOutputs, type ChunkContext } from './chunk-outputs';
import { incidentTargets } from './incidents';

const reading: SensorReading = {
  sensor_id: 'CAP_001',
  timestamp: '2024-01-15T14:30:00Z',
  location: { lat: 48.8566, lon: 2.3522 },
  measurements: { pm2_5: 12.5, pm10: 25.3, no2: 40.2 },
};

function fault(type: SensorAnomaly['type']): SensorAnomaly {
  const start = '2024-01-15T14:00:00Z';
  return {
    schema: 'sensors.anomaly/v1',
    id: anomalyId({ sensorId: 'CAP_001', type, measurement: 'pm2_5', start }),
    sensor_id: 'CAP_001',
    type,
    measurement: 'pm2_5',
    severity: 'warning',
    score: 2,
    window: { start, end: '2024-01-15T14:30:00Z' },
    evidence: {},
    detected_at: '2024-01-15T14:10:00Z',
  };
}

const context: ChunkContext = {
  receivedAt: '2024-01-15T14:31:00.000Z',
  topics: { processed: 'sensors.processed', anomalies: 'sensors.anomalies', deadLetter: 'sensors.dlq' },
  incidentEscalateAfter: '30m',
  letterFor: (r, kind, reason): SensorDeadLetter => ({ key: r.sensor_id, kind, reason }) as unknown as SensorDeadLetter,
};

describe('chunkOutputs', () => {
  it('when a reading is checked with flags, then it is stored and published with the flags named type:measurement', () => {
    const out = chunkOutputs(
      [{ kind: 'reading', reading, flags: [{ type: 'spike', measurement: 'pm2_5' }, { type: 'dropout' }] }],
      context,
    );

    expect(out.readings).toEqual([{ reading, flags: ['spike:pm2_5', 'dropout'], receivedAt: context.receivedAt }]);
    expect(out.outbox).toHaveLength(1);
    expect(out.outbox[0]?.target).toBe('sensors.processed');
    expect(JSON.parse(out.outbox[0]?.payload ?? '{}')).toMatchObject({ qc_flags: ['spike:pm2_5', 'dropout'] });
  });

  it('when a sustained fault opens and closes, then the incident is opened and told of the recovery; a spike opens none', () => {
    const flatline = fault('flatline');
    const out = chunkOutputs(
      [
        { kind: 'anomaly_opened', anomaly: flatline },
        { kind: 'anomaly_closed', anomaly: flatline, closedAt: '2024-01-15T15:00:00Z' },
        { kind: 'anomaly_opened', anomaly: fault('spike') },
      ],
      context,
    );

    expect(out.outbox.map((m) => m.target)).toEqual([
      'sensors.anomalies',
      incidentTargets.open,
      'sensors.anomalies',
      incidentTargets.recovered,
      'sensors.anomalies',
    ]);
    expect(out.anomalies.map((a) => a.closedAt)).toEqual([undefined, '2024-01-15T15:00:00Z', undefined]);
    expect({ opened: out.opened, closed: out.closed }).toEqual({ opened: 2, closed: 1 });
  });

  it('when a reading is refused or a duplicate, then the refusal is a dead letter with its kind and the duplicate only counted', () => {
    const out = chunkOutputs(
      [
        { kind: 'rejected', reading, reason: 'too_late', detail: 'older than the lateness' },
        { kind: 'rejected', reading, reason: 'too_far_in_future', detail: 'ahead of now' },
        { kind: 'duplicate', reading },
      ],
      context,
    );

    expect(out.outbox.map((m) => [m.target, JSON.parse(m.payload) as unknown])).toEqual([
      ['sensors.dlq', { key: 'CAP_001', kind: 'late', reason: 'older than the lateness' }],
      ['sensors.dlq', { key: 'CAP_001', kind: 'future', reason: 'ahead of now' }],
    ]);
    expect(out.duplicates).toBe(1);
    expect(out.readings).toEqual([]);
  });
});

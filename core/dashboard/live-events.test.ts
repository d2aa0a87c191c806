import { topics } from '../topics';

import { liveEventOf } from './live-events';

const transformed = {
  schema: 'aqi.transformed/v1',
  locationId: 'lyon',
  source: 'replay',
  runId: 'ingest-hourly-lyon-2024-12-31T23',
  fetchedAt: '2025-01-01T00:05:00Z',
  reading: {
    latitude: 45.76,
    longitude: 4.84,
    observedAt: '2024-12-31T23:00:00Z',
    values: { pm2_5: 30 },
    reported: { european_aqi: 70 },
  },
  indices: [
    { method: 'eaqi-eea-2024', value: 55, dominant: 'pm2_5' },
    { method: 'eaqi-open-meteo-pre-2026-08', value: 64.5, dominant: 'pm2_5' },
  ],
  storedAt: '2025-01-01T00:05:01Z',
};
const anomaly = {
  schema: 'sensors.anomaly/v1',
  id: 'a'.repeat(32),
  sensor_id: 'LYON_001',
  type: 'flatline',
  measurement: 'pm2_5',
  severity: 'warning',
  score: 1.5,
  window: { start: '2024-01-15T14:30:00Z', end: '2024-01-15T15:30:00Z' },
  evidence: {},
  detected_at: '2024-01-15T15:31:00Z',
};

describe('liveEventOf', () => {
  it('when a stored hour arrives on aqi.transformed, then the event carries the index the timeline draws, with its band', () => {
    expect(liveEventOf(topics.aqiTransformed, JSON.stringify(transformed))).toEqual({
      type: 'reading',
      location: 'lyon',
      at: '2024-12-31T23:00:00Z',
      european_aqi: 64.5,
      band: 'poor',
      storedAt: '2025-01-01T00:05:01Z',
    });
  });

  it('when the hour has no index of that method yet, then the reported index stands in', () => {
    const first = { ...transformed, indices: [] };
    expect(liveEventOf(topics.aqiTransformed, JSON.stringify(first))).toMatchObject({ european_aqi: 70, band: 'poor' });
  });

  it('when an anomaly arrives on sensors.anomalies, then the event names the sensor, the fault and when it started', () => {
    expect(liveEventOf(topics.sensorsAnomalies, JSON.stringify(anomaly))).toEqual({
      type: 'anomaly',
      id: anomaly.id,
      sensorId: 'LYON_001',
      anomalyType: 'flatline',
      measurement: 'pm2_5',
      severity: 'warning',
      at: '2024-01-15T14:30:00Z',
    });
  });

  it('when a message is not JSON, breaks its topic’s contract or comes from another topic, then it is skipped', () => {
    expect(liveEventOf(topics.aqiTransformed, '{not json')).toBeUndefined();
    expect(liveEventOf(topics.aqiTransformed, JSON.stringify(anomaly))).toBeUndefined();
    expect(liveEventOf(topics.aqiRaw, JSON.stringify(transformed))).toBeUndefined();
  });
});

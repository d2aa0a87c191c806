import { anomalyId, type AnomalySeverity, type AnomalyType, type SensorAnomaly } from './anomaly';
import type { SensorMeasurementName } from './reading';

/**
 * A fault as the checks know it (epoch ms, a score, evidence) turned into the published anomaly event.
 * Every time in it is an event time, `detected_at` included (the event time of the reading, or of the
 * silence, that made the rule hold), so a replay produces the same event byte for byte.
 */
export interface Fault {
  sensorId: string;
  type: AnomalyType;
  measurement?: SensorMeasurementName;
  startMs: number;
  endMs: number;
  detectedMs: number;
  score: number;
  evidence: Record<string, unknown>;
}

export function severityOf(score: number, criticalScore: number): AnomalySeverity {
  return score >= criticalScore ? 'critical' : 'warning';
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function anomalyOf(fault: Fault, criticalScore: number): SensorAnomaly {
  const start = isoTime(fault.startMs);
  return {
    schema: 'sensors.anomaly/v1',
    id: anomalyId({ sensorId: fault.sensorId, type: fault.type, measurement: fault.measurement, start }),
    sensor_id: fault.sensorId,
    type: fault.type,
    ...(fault.measurement === undefined ? {} : { measurement: fault.measurement }),
    severity: severityOf(fault.score, criticalScore),
    score: fault.score,
    window: { start, end: isoTime(fault.endMs) },
    evidence: fault.evidence,
    detected_at: isoTime(fault.detectedMs),
  };
}

import type { SensorAnomaly } from '../../core/sensors/anomaly';

/**
 * The `sensor_anomalies` insert both writers share (the detector's chunks, the daily rollup): the columns
 * and their 11 parameters. Each writer adds its own `ON CONFLICT` rule (the detector's latest word wins;
 * the rollup's window and score only grow).
 */
export const insertAnomalySql = `INSERT INTO sensor_anomalies AS a (id, sensor_id, type, measurement, severity, score,
   window_start, window_end, evidence, detected_at, closed_at, updated_at)
 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())`;

export function anomalyRowValues(anomaly: SensorAnomaly, closedAt: string | undefined): unknown[] {
  return [
    anomaly.id,
    anomaly.sensor_id,
    anomaly.type,
    anomaly.measurement ?? null,
    anomaly.severity,
    anomaly.score,
    anomaly.window.start,
    anomaly.window.end,
    JSON.stringify(anomaly.evidence),
    anomaly.detected_at,
    closedAt ?? null,
  ];
}

/** The `sensor_anomalies` columns a read turns back into the anomaly event (`anomalyFromRow`). */
export interface AnomalyRow {
  id: string;
  sensor_id: string;
  type: SensorAnomaly['type'];
  measurement: string | null;
  severity: SensorAnomaly['severity'];
  score: number;
  window_start: Date;
  window_end: Date;
  evidence: Record<string, unknown>;
  detected_at: Date;
}

/** The anomaly event a stored row holds: the inverse of `anomalyRowValues` (a null measurement is absent). */
export function anomalyFromRow(r: AnomalyRow): SensorAnomaly {
  return {
    schema: 'sensors.anomaly/v1',
    id: r.id,
    sensor_id: r.sensor_id,
    type: r.type,
    ...(r.measurement === null ? {} : { measurement: r.measurement }),
    severity: r.severity,
    score: r.score,
    window: { start: r.window_start.toISOString(), end: r.window_end.toISOString() },
    evidence: r.evidence,
    detected_at: r.detected_at.toISOString(),
  };
}

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

import { anomalyOf, isoTime } from '../anomaly-record';
import { rangeViolation } from '../checks/out-of-range';
import { sensorMeasurementNames, type SensorReading } from '../reading';

import type { CheckLimits } from './limits';
import type { DetectorOutput } from './outputs';

/**
 * The anomalies a reading shows on its own, decided when the detector admits it rather than when the
 * watermark releases it: an out-of-range or sentinel value needs no other reading, so it is reported the
 * moment it arrives instead of an allowed lateness later. Each such reading is an anomaly of its own (id
 * from sensor, type, measurement and the reading's time; window = that reading), opened and closed at once:
 * a run of consecutive bad readings would depend on event-time order, which admission does not have. So
 * the same readings give the same anomalies in any arrival order, batching, restart or replay; a copy of a
 * reading already taken is a duplicate and is not admitted again.
 */
export function anomaliesOnAdmission(reading: SensorReading, ms: number, limits: CheckLimits): DetectorOutput[] {
  const out: DetectorOutput[] = [];
  for (const name of sensorMeasurementNames) {
    const value = reading.measurements[name];
    if (value === undefined) continue;
    const violation = rangeViolation(value, limits.measurements[name].range, limits.sentinels);
    if (violation === undefined) continue;
    const { reason, bound, score } = violation;
    const anomaly = anomalyOf(
      {
        sensorId: reading.sensor_id,
        type: 'out_of_range',
        measurement: name,
        startMs: ms,
        endMs: ms,
        detectedMs: ms,
        score,
        evidence: { value, reason, ...(bound === undefined ? {} : { bound }) },
      },
      limits.criticalScore,
    );
    out.push({ kind: 'anomaly_opened', anomaly }, { kind: 'anomaly_closed', anomaly, closedAt: isoTime(ms) });
  }
  return out;
}

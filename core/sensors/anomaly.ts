import { createHash } from 'node:crypto';

import { z } from 'zod';

import { sensorId } from './reading';

/**
 * A fault the detector found in one sensor's readings. Its id is derived from the sensor, the type and the
 * event time the fault started, so a replay, a retry or a restarted detector finds the same anomaly again
 * (and the store and the incident workflow take it once) whatever the speed or order of processing.
 * `repeated_out_of_range` and `frequent_spikes` are sustained faults made of single-reading ones: out-of-range
 * readings, or spikes, of one measurement coming again and again (see `thresholds/`).
 */
export const anomalyTypes = [
  'out_of_range',
  'spike',
  'rate_of_change',
  'flatline',
  'dropout',
  'step',
  'drift',
  'neighbour_disagreement',
  'repeated_out_of_range',
  'frequent_spikes',
] as const;
export type AnomalyType = (typeof anomalyTypes)[number];

export const anomalySeverities = ['info', 'warning', 'critical'] as const;
export type AnomalySeverity = (typeof anomalySeverities)[number];

export const sensorAnomaly = z.strictObject({
  schema: z.literal('sensors.anomaly/v1'),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  sensor_id: sensorId,
  type: z.enum(anomalyTypes),
  /** The measurement at fault (`pm2_5`, …); absent for faults of the whole sensor (a dropout). */
  measurement: z.string().optional(),
  severity: z.enum(anomalySeverities),
  /** How far past its threshold the evidence is (≥ 1 at the threshold); comparable within one type. */
  score: z.number().finite(),
  /** Event time of the first and last reading in fault (equal for a single-reading fault). */
  window: z.strictObject({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }),
  /** What the check saw: the values, the reference it compared with and the threshold, for a person. */
  evidence: z.record(z.string(), z.unknown()),
  detected_at: z.iso.datetime({ offset: true }),
});
export type SensorAnomaly = z.infer<typeof sensorAnomaly>;

/** The anomaly id: the same fault (sensor, type, measurement, start) always gets the same 32 hex digits. */
export function anomalyId(fault: { sensorId: string; type: AnomalyType; measurement?: string; start: string }): string {
  const start = new Date(fault.start).toISOString();
  return createHash('sha256')
    .update([fault.sensorId, fault.type, fault.measurement ?? '', start].join('|'))
    .digest('hex')
    .slice(0, 32);
}

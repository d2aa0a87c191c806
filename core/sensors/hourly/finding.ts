import type { SensorMeasurementName } from '../reading';

/** An hourly mean of one sensor (or of the reference) for the hour starting at `hour` (ISO). */
export interface HourlyMean {
  hour: string;
  value: number;
}

/**
 * What an hourly check found for one sensor and measurement, before it becomes an anomaly: times are ISO
 * hours (start of the first and of the last hour in fault).
 */
export interface HourlyFinding {
  sensorId: string;
  type: 'drift' | 'neighbour_disagreement';
  measurement: SensorMeasurementName;
  start: string;
  end: string;
  score: number;
  evidence: Record<string, unknown>;
}

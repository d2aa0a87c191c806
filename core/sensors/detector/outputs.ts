import type { AnomalyType, SensorAnomaly } from '../anomaly';
import type { SensorMeasurementName, SensorReading } from '../reading';

/** One check that fired on a reading; `measurement` is absent for the whole sensor (a dropout before it). */
export interface QcFlag {
  type: AnomalyType;
  measurement?: SensorMeasurementName;
}

export type RejectionReason = 'too_late' | 'too_far_in_future';

/**
 * What the detector says, in order. Per sensor the sequence of what is decided at release (readings and
 * their flags, every anomaly but `out_of_range`) is the same for any arrival order within the allowed
 * lateness and any batching; across sensors it follows event time. `out_of_range` anomalies are decided at
 * admission, one per reading, so they come as readings arrive: the same set in any order, each before its
 * reading is released.
 * - `reading`: an accepted reading, checked, with the checks that fired on it (to store and publish);
 * - `anomaly_opened`: a fault detected (its id is derived from sensor, type, measurement and start);
 * - `anomaly_closed`: the same fault ended; the anomaly carries its final window, score and evidence, and
 *   `closedAt` is the event time of the reading (or silence) that ended it;
 * - `duplicate`: same sensor and instant as a reading already taken (queued, or checked within the allowed
 *   lateness plus one interval; an older copy is refused as too late); taken once, not an error;
 * - `rejected`: refused with the reason, for the DLQ.
 */
export type DetectorOutput =
  | { kind: 'reading'; reading: SensorReading; flags: QcFlag[] }
  | { kind: 'anomaly_opened'; anomaly: SensorAnomaly }
  | { kind: 'anomaly_closed'; anomaly: SensorAnomaly; closedAt: string }
  | { kind: 'duplicate'; reading: SensorReading }
  | { kind: 'rejected'; reading: SensorReading; reason: RejectionReason; detail: string };

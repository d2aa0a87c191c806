import type { CheckedReading, OutboxMessage } from '../../adapters/postgres/sensor-stream';
import type { SensorAnomaly } from '../../core/sensors/anomaly';
import type { DetectorOutput } from '../../core/sensors/detector/outputs';
import type { ProcessedReading, SensorDeadLetter } from '../../core/sensors/messages';
import type { SensorReading } from '../../core/sensors/reading';

import { incidentAnomalyTypes, incidentInput, incidentTargets } from './incidents';

/** What a chunk's outputs need besides themselves. */
export interface ChunkContext {
  /** When the chunk was taken (ISO): every processed reading carries it. */
  receivedAt: string;
  topics: { processed: string; anomalies: string; deadLetter: string };
  /** How long an unacknowledged incident waits before escalating (the incident workflow's input). */
  incidentEscalateAfter: string;
  /** The dead letter of a reading the checks refused (too late, too far in the future). */
  letterFor: (reading: SensorReading, kind: SensorDeadLetter['kind'], reason: string) => SensorDeadLetter;
}

const flagName = (flag: { type: string; measurement?: string }) =>
  flag.measurement ? `${flag.type}:${flag.measurement}` : flag.type;

/**
 * A chunk's detector outputs as what the chunk's transaction stores: the checked readings (flags named
 * `type` or `type:measurement`), the anomalies opened or closed, and the outbox of what to publish once it
 * commits (processed readings, anomalies, dead letters, incidents to open or close), with the counts.
 */
export function chunkOutputs(outputs: readonly DetectorOutput[], context: ChunkContext) {
  const { receivedAt, topics, incidentEscalateAfter, letterFor } = context;
  const readings: CheckedReading[] = [];
  const anomalies: { anomaly: SensorAnomaly; closedAt?: string }[] = [];
  const outbox: OutboxMessage[] = [];
  let duplicates = 0;
  let opened = 0;
  let closed = 0;
  for (const output of outputs) {
    if (output.kind === 'reading') {
      const flags = output.flags.map(flagName);
      readings.push({ reading: output.reading, flags, receivedAt });
      const processed: ProcessedReading = { ...output.reading, qc_flags: flags, received_at: receivedAt };
      outbox.push({ target: topics.processed, key: output.reading.sensor_id, payload: JSON.stringify(processed) });
    } else if (output.kind === 'anomaly_opened' || output.kind === 'anomaly_closed') {
      const { anomaly } = output;
      const closedAt = output.kind === 'anomaly_closed' ? output.closedAt : undefined;
      anomalies.push({ anomaly, ...(closedAt ? { closedAt } : {}) });
      outbox.push({ target: topics.anomalies, key: anomaly.sensor_id, payload: JSON.stringify(anomaly) });
      if (closedAt) closed += 1;
      else opened += 1;
      if (incidentAnomalyTypes.includes(anomaly.type)) {
        outbox.push(
          closedAt
            ? {
                target: incidentTargets.recovered,
                key: anomaly.id,
                payload: JSON.stringify({ anomalyId: anomaly.id, at: closedAt }),
              }
            : {
                target: incidentTargets.open,
                key: anomaly.id,
                payload: JSON.stringify(incidentInput(anomaly, incidentEscalateAfter)),
              },
        );
      }
    } else if (output.kind === 'duplicate') {
      duplicates += 1;
    } else {
      const kind = output.reason === 'too_late' ? 'late' : 'future';
      const letter = letterFor(output.reading, kind, output.detail);
      outbox.push({ target: topics.deadLetter, key: letter.key, payload: JSON.stringify(letter) });
    }
  }
  return { readings, anomalies, outbox, duplicates, opened, closed };
}

import { z } from 'zod';

import { AppError } from '../../errors';
import { sensorReading, type SensorReading } from '../reading';
import type { DetectorThresholds } from '../thresholds';

import { storedCheckpoint } from './checkpoint-codec';
import { DetectorState } from './detector-state';
import { assembleSnapshot, partitionSnapshot, type SensorCheckpoint } from './snapshot';

function unreadable(what: string, error: z.ZodError): AppError {
  return new AppError('DETECTOR_SNAPSHOT', `unreadable detector ${what}: ${z.prettifyError(error)}`, {
    cause: error,
    operational: false,
  });
}

/** A partition's detector state as stored (parsed JSON, not yet validated). */
export interface StoredDetectorParts {
  partition: unknown;
  checkpoints: readonly unknown[];
  /** The readings still waiting for the watermark, one per stored row. */
  queued: readonly unknown[];
}

/**
 * A detector from its stored parts (validated: they come from storage): the partition part, one checkpoint
 * per sensor and the queued readings, as `DetectorState.snapshotChanges` gave them over time. The result
 * is the state the parts describe with nothing touched yet, so its next changes are only what the next
 * chunk does.
 */
export function restoreFromCheckpoints(stored: StoredDetectorParts, thresholds: DetectorThresholds): DetectorState {
  const part = partitionSnapshot.safeParse(stored.partition);
  if (!part.success) throw unreadable('partition state', part.error);
  const sensors: SensorCheckpoint[] = [];
  for (const checkpoint of stored.checkpoints) {
    const parsed = storedCheckpoint.safeParse(checkpoint);
    if (!parsed.success) throw unreadable('sensor checkpoint', parsed.error);
    sensors.push(parsed.data);
  }
  const queued: SensorReading[] = [];
  for (const reading of stored.queued) {
    const parsed = sensorReading.safeParse(reading);
    if (!parsed.success) throw unreadable('queued reading', parsed.error);
    queued.push(parsed.data);
  }
  const state = new DetectorState(thresholds, assembleSnapshot(part.data, sensors, queued));
  state.forgetChanges();
  return state;
}

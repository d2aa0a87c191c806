import { z } from 'zod';

import { AppError } from '../../errors';
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

/**
 * A detector from its stored parts (validated: they come from storage): the partition part and one
 * checkpoint per sensor, as `DetectorState.snapshotChanges` gave them over time. The result is the state
 * the parts describe with nothing touched yet, so its next changes are only what the next chunk does.
 */
export function restoreFromCheckpoints(
  partition: unknown,
  checkpoints: readonly unknown[],
  thresholds: DetectorThresholds,
): DetectorState {
  const part = partitionSnapshot.safeParse(partition);
  if (!part.success) throw unreadable('partition state', part.error);
  const sensors: SensorCheckpoint[] = [];
  for (const checkpoint of checkpoints) {
    const parsed = storedCheckpoint.safeParse(checkpoint);
    if (!parsed.success) throw unreadable('sensor checkpoint', parsed.error);
    const strange = parsed.data.pending.find((reading) => reading.sensor_id !== parsed.data.sensorId);
    if (strange !== undefined) {
      throw new AppError(
        'DETECTOR_SNAPSHOT',
        `unreadable detector sensor checkpoint: ${parsed.data.sensorId} holds a reading of ${strange.sensor_id}`,
        { operational: false },
      );
    }
    sensors.push(parsed.data);
  }
  const state = new DetectorState(thresholds, assembleSnapshot(part.data, sensors));
  state.forgetChanges();
  return state;
}

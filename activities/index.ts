import { createDoctorActivities, type DoctorDeps } from './doctor';
import { createIngestionActivities, type IngestionDeps } from './ingestion';
import { createQualityActivities } from './quality';

/** Everything the activities need from the outside world, injected by the worker (or a test). */
export type ActivityDeps = DoctorDeps & IngestionDeps;

/** All activities of the pipeline task queue, built from their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDoctorActivities(deps),
    ...createIngestionActivities(deps),
    ...createQualityActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

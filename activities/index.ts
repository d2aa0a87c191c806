import { createDoctorActivities, type DoctorDeps } from './doctor';

/** Everything the activities need from the outside world, injected by the worker (or a test). */
export type ActivityDeps = DoctorDeps;

/** All activities of the pipeline task queue, built from their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDoctorActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

import { createAirQualityAlertActivities } from './air-quality-alerts';
import { createAlertActivities } from './alerts';
import { createDoctorActivities, type DoctorDeps } from './doctor';
import { createIncidentActivities, type IncidentActivityDeps } from './incidents';
import { createIngestionActivities, type IngestionDeps } from './ingestion';
import { createLiveAccuracyActivities } from './live-accuracy';
import { createMonitoringActivities, type MonitoringDeps } from './monitoring';
import { createQualityActivities } from './quality';
import type { ActivityRepositories } from './repositories';
import { createRetrainingActivities, type RetrainingDeps } from './retraining';
import { createScheduledWorkActivities } from './scheduled-work';
import { createSensorRollupActivities, type SensorRollupDeps } from './sensor-rollup';
import { createTrainingActivities, createTrainingComputeActivities, type TrainingDeps } from './training';

/**
 * Everything the activities need from the outside world, injected by the worker (or a test): repositories
 * for what is stored (`adapters/postgres/repositories.ts`), clients for the rest.
 */
export type ActivityDeps = ActivityRepositories &
  Omit<DoctorDeps, 'platformChecks'> &
  Omit<IngestionDeps, 'locations' | 'readings'> &
  Omit<TrainingDeps, 'trainingSet' | 'promotions'> &
  Pick<SensorRollupDeps, 'sensorChecks'> &
  Omit<IncidentActivityDeps, 'incidents' | 'alerts'> &
  Pick<MonitoringDeps, 'monitoringRuns'> &
  Pick<RetrainingDeps, 'retrainingPolicy' | 'promotion'>;

/** All activities of the pipeline task queue, built from their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDoctorActivities(deps),
    ...createIngestionActivities(deps),
    ...createQualityActivities(deps),
    ...createAlertActivities(deps),
    ...createAirQualityAlertActivities(deps),
    ...createIncidentActivities(deps),
    ...createSensorRollupActivities(deps),
    ...createTrainingActivities(deps),
    ...createMonitoringActivities(deps),
    ...createLiveAccuracyActivities(deps),
    ...createRetrainingActivities(deps),
    ...createScheduledWorkActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** The training worker's activities: the CPU-bound steps only, on their own task queue. */
export { createTrainingComputeActivities };

// Every workflow the pipeline worker runs. The worker bundles this file, so it must only export workflows.
export { checkDataQuality } from './check-data-quality';
export { doctor } from './doctor';
export { ingestHistory } from './ingest-history';
export { ingestHourly } from './ingest-hourly';
export { rollbackModel } from './rollback-model';
export { trainingPipeline } from './training-pipeline';
export { sensorIncident } from './sensor-incident';
export { sensorDailyRollup } from './sensor-daily-rollup';
export { monitorChampion } from './monitor-champion';
export { monitorChampions } from './monitor-champions';
export { startScheduledWork } from './start-scheduled-work';

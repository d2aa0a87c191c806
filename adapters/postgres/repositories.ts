import type { ActivityRepositories } from '../../activities/repositories';

import { deliveredTargets, recordAlertDelivery } from './alert-deliveries';
import { recordIncidentStep } from './incidents';
import { findLocations } from './locations';
import { latestStoredHourOf, saveMonitoringReport, versionDriftVerdicts } from './monitoring-reports';
import { describeDatabase, recordPlatformCheck } from './platform-checks';
import type { Pool } from './pool';
import { findPoorAirHours } from './poor-air';
import { logPredictions, recordHoldout, resolveActuals, tallyPredictions } from './prediction-log';
import { recordPromotion } from './promotions';
import { loadQualityRows, saveQualityReport } from './quality';
import { storeRawPayloads } from './raw-payloads';
import { findStoredHours, storeReadings } from './readings-store';
import { claimRetraining } from './retraining-triggers';
import {
  listRollupSensors,
  loadFlaggedReadings,
  loadHourlyMeans,
  loadReferenceHours,
  listBaselines,
  openHourlyAnomalies,
  replaceHourlyMeans,
  sensorsHeardBetween,
  storeDailyChecks,
} from './sensor-rollup';
import { loadTrainingReadings } from './training-set';

/** The activities' repositories over one PostgreSQL pool: the only place their SQL is reached from. */
export function createPostgresRepositories(pool: Pool): ActivityRepositories {
  return {
    locations: { find: (ids) => findLocations(pool, ids) },
    readings: {
      store: (rows, meta) => storeReadings(pool, rows, meta),
      storeRawPayloads: (payloads, meta) => storeRawPayloads(pool, payloads, meta),
      findHours: (keys) => findStoredHours(pool, keys),
    },
    quality: {
      loadRows: (locationIds, from, to) => loadQualityRows(pool, locationIds, from, to),
      saveReport: (input) => saveQualityReport(pool, input),
    },
    trainingSet: { load: (locationIds, from, to) => loadTrainingReadings(pool, locationIds, from, to) },
    promotions: { record: (record) => recordPromotion(pool, record) },
    platformChecks: {
      describe: () => describeDatabase(pool),
      record: (input) => recordPlatformCheck(pool, input),
    },
    incidents: { recordStep: (incident, step) => recordIncidentStep(pool, incident, step) },
    alerts: {
      deliveredTargets: (alertKey) => deliveredTargets(pool, alertKey),
      record: (delivery) => recordAlertDelivery(pool, delivery),
    },
    sensorRollup: {
      sensorsHeard: (from, to) => sensorsHeardBetween(pool, from, to),
      loadReadings: (sensorIds, from, to) => loadFlaggedReadings(pool, sensorIds, from, to),
      replaceHourlyMeans: (input) => replaceHourlyMeans(pool, input),
      loadHourlyMeans: (from, to) => loadHourlyMeans(pool, from, to),
      activeSensors: () => listRollupSensors(pool),
      loadReferenceHours: (locationIds, from, to) => loadReferenceHours(pool, locationIds, from, to),
      openAnomalies: (at) => openHourlyAnomalies(pool, at),
      baselinesBefore: (day) => listBaselines(pool, { before: day }),
      storeDailyChecks: (input) => storeDailyChecks(pool, input),
    },
    monitoring: {
      latestStoredHour: (locationIds) => latestStoredHourOf(pool, locationIds),
      saveReport: (record) => saveMonitoringReport(pool, record),
      driftVerdicts: (modelName, modelVersion) => versionDriftVerdicts(pool, modelName, modelVersion),
    },
    predictionLog: {
      log: (predictions, source) => logPredictions(pool, predictions, source),
      resolveActuals: () => resolveActuals(pool),
      tally: (options) => tallyPredictions(pool, options),
      recordHoldout: (holdout) => recordHoldout(pool, holdout),
    },
    retraining: { claim: (input) => claimRetraining(pool, input) },
    airQuality: { poorHours: (input) => findPoorAirHours(pool, input) },
  };
}

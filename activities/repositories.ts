import type { MonitoringReportRecord } from '../adapters/postgres/monitoring-reports';
import type { ModelHoldout } from '../adapters/postgres/prediction-log';
import type { PromotionRecord } from '../adapters/postgres/promotions';
import type { RawPayload } from '../adapters/postgres/raw-payloads';
import type { ReadingToStore, StoreResult } from '../adapters/postgres/readings-store';
import type { RetrainClaim, RetrainClaimInput } from '../adapters/postgres/retraining-triggers';
import type { MeasuredVariable, Reading } from '../core/air-quality/reading';
import type { PoorAirHour } from '../core/alerts/air-quality-alerts';
import type { AlertKind } from '../core/alerts/alert';
import type { DoctorReport } from '../core/doctor';
import type { Location } from '../core/locations/location';
import type { PredictionTally } from '../core/monitoring/accuracy/live-accuracy';
import type { LoggedPrediction } from '../core/monitoring/accuracy/predictions';
import type { DriftVerdict } from '../core/monitoring/retraining/evidence';
import type { QualityReport, QualityRow } from '../core/quality/assess';
import type { SensorAnomaly } from '../core/sensors/anomaly';
import type { CalibrationBaseline } from '../core/sensors/hourly/baseline';
import type { Calibration } from '../core/sensors/hourly/calibration';
import type { RollupSensor } from '../core/sensors/hourly/daily-checks';
import type { FlaggedReading, SensorHourMean } from '../core/sensors/hourly/hourly-means';
import type { ReferenceHour } from '../core/sensors/hourly/reference';

/**
 * What the activities need from storage, by domain: each a few methods, so an activity is tested with a
 * small in-memory fake and the SQL stays in `adapters/postgres` (`createPostgresRepositories` builds them).
 */

export interface LocationsRepository {
  /** The locations with these ids, in the order asked; an unknown id is an `UNKNOWN_LOCATION` error naming it. */
  find(ids: readonly string[]): Promise<Location[]>;
}

/** A stored hour as the wait for the stream processor compares it with what was published. */
export interface StoredHour {
  locationId: string;
  observedAt: string;
  values: Partial<Record<MeasuredVariable, number | null>>;
}

export interface ReadingsRepository {
  /** Upserts readings and their indices; identical rows are left alone (a replay writes nothing). */
  store(rows: readonly ReadingToStore[], meta: { source: string; runId: string }): Promise<StoreResult>;
  /** Keeps each payload as fetched, one row per (source, request). */
  storeRawPayloads(
    payloads: readonly RawPayload[],
    meta: { source: string; runId: string; fetchedAt: string },
  ): Promise<void>;
  /** The stored hours among these (location, hour) keys; missing ones are left out. */
  findHours(keys: readonly { locationId: string; observedAt: string }[]): Promise<StoredHour[]>;
}

export interface QualityRepository {
  /** The stored readings of [from, to) with the platform's own index, as the checks read them. */
  loadRows(locationIds: readonly string[], from: string, to: string): Promise<QualityRow[]>;
  /** One report per run: saving again for the same run rewrites it and returns the same id. */
  saveReport(input: {
    runId: string;
    from: string;
    to: string;
    locationIds: readonly string[];
    report: QualityReport;
  }): Promise<number>;
}

export interface TrainingSetRepository {
  /** Each location's stored readings over [from, to), oldest first; a location without any comes back empty. */
  load(
    locationIds: readonly string[],
    from: string,
    to: string,
  ): Promise<{ locationId: string; readings: Reading[] }[]>;
}

export interface PromotionsRepository {
  /** Appends a decision; one per (workflow run, decision), so a retry returns the existing row's id. */
  record(record: PromotionRecord): Promise<number>;
}

export interface PlatformChecksRepository {
  /** The database's version and how many migrations are applied: the doctor's PostgreSQL probe. */
  describe(): Promise<{ version: string; migrations: number }>;
  /** One row per doctor run (upsert on the workflow id). */
  record(input: { workflowId: string; report: DoctorReport }): Promise<void>;
}

/** A sensor incident as the workflow opened it: one per sustained fault (its anomaly id). */
export interface IncidentRecord {
  id: string;
  workflowId: string;
  sensorId: string;
  anomalyType: string;
  measurement?: string;
  severity: string;
  summary: string;
  faultStartedAt: string;
}

export const incidentEvents = [
  'opened',
  'notified',
  'escalated',
  'acknowledged',
  'resolved',
  'recovered',
  'closed',
] as const;
export type IncidentEvent = (typeof incidentEvents)[number];

/** One step of an incident, numbered by the workflow (so a retry writes it once), and where it left it. */
export interface IncidentStep {
  seq: number;
  event: IncidentEvent;
  at: string;
  actor?: string;
  comment?: string;
  details?: Record<string, unknown>;
  after: {
    state: 'open' | 'acknowledged' | 'closed';
    escalationLevel: number;
    acknowledged?: { at: string; by: string };
    closed?: { at: string; reason: 'resolved' | 'recovered'; by?: string };
  };
}

export interface IncidentsRepository {
  /** Appends a step (once per seq) and sets the incident's current state to what the step left. */
  recordStep(incident: IncidentRecord, step: IncidentStep): Promise<void>;
}

/** What became of one alert at one webhook target (migration 0014). */
export interface AlertDelivery {
  alertKey: string;
  targetId: string;
  kind: AlertKind;
  title: string;
  outcome: 'delivered' | 'gave_up';
  /** The activity attempt that ended it (Temporal's count, from 1). */
  attempts: number;
  reason?: string;
}

export interface AlertsRepository {
  /** Targets this alert key was delivered to already: a retry or a repeat skips them. */
  deliveredTargets(alertKey: string): Promise<string[]>;
  record(delivery: AlertDelivery): Promise<void>;
}

/** What the daily sensor rollup reads and writes (migration 0009, and the detector's tables). */
export interface SensorRollupRepository {
  /** Sensors the registry heard from during [from, to), in id order. */
  sensorsHeard(from: string, to: string): Promise<string[]>;
  /** Their stored readings of [from, to), with the flags the detector gave them. */
  loadReadings(sensorIds: readonly string[], from: string, to: string): Promise<FlaggedReading[]>;
  /** Makes the stored means of these sensors over [from, to) exactly `means` (identical rows left alone). */
  replaceHourlyMeans(input: {
    sensorIds: readonly string[];
    from: string;
    to: string;
    means: readonly SensorHourMean[];
  }): Promise<{ written: number; removed: number }>;
  /** Stored means of the reference pollutants over [from, to), every sensor. */
  loadHourlyMeans(from: string, to: string): Promise<SensorHourMean[]>;
  /** The sensors in service, with position and reference location. */
  activeSensors(): Promise<RollupSensor[]>;
  /** The reference locations' stored Open-Meteo hours over [from, to), in the sensors' names. */
  loadReferenceHours(locationIds: readonly string[], from: string, to: string): Promise<ReferenceHour[]>;
  /** Drift and neighbour anomalies open at `at` (detected by then, not closed by then). */
  openAnomalies(at: string): Promise<SensorAnomaly[]>;
  /** Sensors' baseline calibrations established before `day` (`YYYY-MM-DD`). */
  baselinesBefore(day: string): Promise<CalibrationBaseline[]>;
  /**
   * A day's calibrations, new baselines and anomalies, in one transaction; upserts that never take back a
   * later day's (an earlier day's baseline replaces a later one's, not the reverse).
   */
  storeDailyChecks(input: {
    calibrations: readonly Calibration[];
    baselines: readonly CalibrationBaseline[];
    anomalies: readonly { anomaly: SensorAnomaly; closedAt?: string }[];
  }): Promise<{ calibrationsWritten: number; baselinesWritten: number; anomaliesWritten: number }>;
}

/** What the champion monitor reads and writes (migration 0013, and the stored readings). */
export interface MonitoringRepository {
  /** The newest stored hour of these locations (of any location when the list is empty). */
  latestStoredHour(locationIds: readonly string[]): Promise<string | undefined>;
  /** One report row per workflow id (a retry rewrites it); returns its id. */
  saveReport(record: MonitoringReportRecord): Promise<number>;
  /** The reports of one model version, newest window first (what the retraining rule reads). */
  driftVerdicts(modelName: string, modelVersion: string): Promise<DriftVerdict[]>;
}

/** Predictions for real hours and their actuals (migration 0016). */
export interface PredictionLogRepository {
  /** Appends predictions; one already logged (version, location, origin, horizon) is left alone. Returns those added. */
  log(predictions: readonly LoggedPrediction[], source: 'api' | 'scoring'): Promise<number>;
  /** Fills the actual of every waiting prediction whose target hour is stored; returns how many. */
  resolveActuals(): Promise<number>;
  /** Per version and horizon over the `hours` of target hours before `to` (default: after the newest resolved). */
  tally(options: { modelName?: string; modelVersion?: string; hours: number; to?: string }): Promise<PredictionTally[]>;
  /** Keeps a version's holdout MAE for the API's comparison. */
  recordHoldout(holdout: ModelHoldout): Promise<void>;
}

/** The stored air a person should hear about (readings and the prediction log). */
export interface AirQualityRepository {
  /** Observed hours of the window and forecasts made from them whose European AQI is above `above`. */
  poorHours(input: { locationIds: readonly string[]; from: string; to: string; above: number }): Promise<PoorAirHour[]>;
}

/** The retraining ledger (migration 0017): one claim per trigger, a cooldown per model. */
export interface RetrainingRepository {
  claim(input: RetrainClaimInput): Promise<RetrainClaim>;
}

/** Every repository the pipeline worker's activities use. */
export interface ActivityRepositories {
  locations: LocationsRepository;
  readings: ReadingsRepository;
  quality: QualityRepository;
  trainingSet: TrainingSetRepository;
  promotions: PromotionsRepository;
  platformChecks: PlatformChecksRepository;
  incidents: IncidentsRepository;
  sensorRollup: SensorRollupRepository;
  alerts: AlertsRepository;
  monitoring: MonitoringRepository;
  predictionLog: PredictionLogRepository;
  retraining: RetrainingRepository;
  airQuality: AirQualityRepository;
}

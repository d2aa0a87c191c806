import type { AlertDeps } from '../../activities/alerts';
import type {
  MonitoringRepository,
  ActivityRepositories,
  AlertDelivery,
  AlertsRepository,
  IncidentRecord,
  IncidentStep,
  IncidentsRepository,
  LocationsRepository,
  PlatformChecksRepository,
  PredictionLogRepository,
  PromotionsRepository,
  QualityRepository,
  ReadingsRepository,
  RetrainingRepository,
  SensorRollupRepository,
  TrainingSetRepository,
} from '../../activities/repositories';
import type { MonitoringReportRecord } from '../../adapters/postgres/monitoring-reports';
import type { ModelHoldout } from '../../adapters/postgres/prediction-log';
import type { PromotionRecord } from '../../adapters/postgres/promotions';
import type { RawPayload } from '../../adapters/postgres/raw-payloads';
import type { ReadingToStore } from '../../adapters/postgres/readings-store';
import type { RetrainClaimInput } from '../../adapters/postgres/retraining-triggers';
import type { DoctorReport } from '../../core/doctor';
import { AppError } from '../../core/errors';
import type { Location } from '../../core/locations/location';
import type { PredictionTally } from '../../core/monitoring/accuracy/live-accuracy';
import type { LoggedPrediction } from '../../core/monitoring/accuracy/predictions';
import type { QualityRow } from '../../core/quality/assess';
import type { SensorAnomaly } from '../../core/sensors/anomaly';
import type { CalibrationBaseline } from '../../core/sensors/hourly/baseline';
import type { Calibration } from '../../core/sensors/hourly/calibration';
import { hourlyAnomalyTypes, type RollupSensor } from '../../core/sensors/hourly/daily-checks';
import type { FlaggedReading, SensorHourMean } from '../../core/sensors/hourly/hourly-means';
import type { ReferenceHour } from '../../core/sensors/hourly/reference';
import { referencePollutants } from '../../core/sensors/simulator/reference';

/**
 * In-memory repositories for activity unit tests: the same contracts as the PostgreSQL ones (upsert on the
 * same keys, unchanged rows not rewritten), small enough to read, with what was stored open to inspection.
 */
export function fakeLocations(locations: Location[]): LocationsRepository {
  return {
    async find(ids) {
      const unknown = ids.filter((id) => !locations.some((l) => l.id === id));
      if (unknown.length > 0) throw new AppError('UNKNOWN_LOCATION', `unknown location(s): ${unknown.join(', ')}`);
      return ids.flatMap((id) => locations.filter((l) => l.id === id));
    },
  };
}

const hourKey = (locationId: string, observedAt: string) => `${locationId}|${Date.parse(observedAt)}`;

export function fakeReadings() {
  const rows = new Map<string, ReadingToStore & { source: string; runId: string }>();
  const payloads = new Map<string, RawPayload & { source: string; runId: string }>();
  const repository: ReadingsRepository = {
    async store(batch, meta) {
      let written = 0;
      let indicesWritten = 0;
      const seen = new Set<string>();
      for (const row of batch) {
        const key = hourKey(row.locationId, row.reading.observedAt);
        seen.add(key);
        const before = rows.get(key);
        if (before && JSON.stringify(before.reading) === JSON.stringify(row.reading)) continue;
        rows.set(key, { ...row, ...meta });
        written += 1;
        indicesWritten += row.indices.length;
      }
      return { written, unchanged: seen.size - written, indicesWritten };
    },
    async storeRawPayloads(batch, meta) {
      for (const payload of batch) payloads.set(`${meta.source}|${payload.requestId}`, { ...payload, ...meta });
    },
    async findHours(keys) {
      return keys.flatMap((k) => {
        const row = rows.get(hourKey(k.locationId, k.observedAt));
        return row
          ? [{ locationId: row.locationId, observedAt: row.reading.observedAt, values: row.reading.values }]
          : [];
      });
    },
  };
  return { repository, rows, payloads };
}

export function fakeQuality(stored: QualityRow[]) {
  const reports = new Map<string, { id: number; input: Parameters<QualityRepository['saveReport']>[0] }>();
  const repository: QualityRepository = {
    loadRows: async (locationIds, from, to) =>
      stored.filter(
        (r) =>
          locationIds.includes(r.locationId) &&
          Date.parse(r.observedAt) >= Date.parse(from) &&
          Date.parse(r.observedAt) < Date.parse(to),
      ),
    async saveReport(input) {
      const id = reports.get(input.runId)?.id ?? reports.size + 1;
      reports.set(input.runId, { id, input });
      return id;
    },
  };
  return { repository, reports };
}

export function fakeTrainingSet(series: Awaited<ReturnType<TrainingSetRepository['load']>>): TrainingSetRepository {
  return {
    load: async (locationIds, from, to) =>
      locationIds.map((locationId) => ({
        locationId,
        readings: (series.find((s) => s.locationId === locationId)?.readings ?? []).filter(
          (r) => Date.parse(r.observedAt) >= Date.parse(from) && Date.parse(r.observedAt) < Date.parse(to),
        ),
      })),
  };
}

export function fakePromotions() {
  const records: (PromotionRecord & { id: number })[] = [];
  const repository: PromotionsRepository = {
    async record(record) {
      const existing = records.find((r) => r.workflowId === record.workflowId && r.decision === record.decision);
      if (existing) return existing.id;
      records.push({ ...record, id: records.length + 1 });
      return records.length;
    },
  };
  return { repository, records };
}

export function fakePlatformChecks(database = { version: '17.10', migrations: 5 }) {
  const reports = new Map<string, DoctorReport>();
  const repository: PlatformChecksRepository = {
    describe: async () => database,
    async record(input) {
      reports.set(input.workflowId, input.report);
    },
  };
  return { repository, reports };
}

export function fakeIncidents() {
  const incidents = new Map<string, IncidentRecord & { after: IncidentStep['after'] }>();
  const steps: (IncidentStep & { incidentId: string })[] = [];
  const repository: IncidentsRepository = {
    async recordStep(incident, step) {
      if (steps.some((s) => s.incidentId === incident.id && s.seq === step.seq)) return;
      steps.push({ ...step, incidentId: incident.id });
      incidents.set(incident.id, { ...incident, after: step.after });
    },
  };
  return { repository, incidents, steps };
}

/** Alert deliveries in memory, keyed like the table (alert key, target). */
export function fakeAlerts() {
  const deliveries = new Map<string, AlertDelivery>();
  const repository: AlertsRepository = {
    async deliveredTargets(alertKey) {
      return [...deliveries.values()]
        .filter((d) => d.alertKey === alertKey && d.outcome === 'delivered')
        .map((d) => d.targetId);
    },
    async record(delivery) {
      deliveries.set(`${delivery.alertKey}|${delivery.targetId}`, delivery);
    },
  };
  return { repository, deliveries };
}

/** Alert dependencies with no webhook: alerts reach the log only (for tests about something else). */
export function logOnlyAlerts(): AlertDeps {
  return {
    alerts: fakeAlerts().repository,
    alertSender: async () => {
      throw new Error('no webhook in this test');
    },
    alertTargets: [],
    alertMaxAttempts: 3,
    workflowLink: (workflowId) => `http://temporal.test/namespaces/aqi/workflows/${workflowId}`,
  };
}

/**
 * The rollup's storage in memory: readings, the registry and reference hours as given; means, calibrations,
 * baselines and anomalies stored under the PostgreSQL keys and upsert rules (a window only grows, a close is kept),
 * with how many rows each write changed.
 */
export function fakeSensorRollup(seed: {
  sensors: (RollupSensor & { status?: 'active' | 'retired' })[];
  readings?: FlaggedReading[];
  references?: ReferenceHour[];
}) {
  const readings = [...(seed.readings ?? [])];
  const means = new Map<string, SensorHourMean>();
  const calibrations = new Map<string, Calibration>();
  const baselines = new Map<string, CalibrationBaseline>();
  const anomalies = new Map<string, { anomaly: SensorAnomaly; closedAt?: string }>();
  const within = (iso: string, from: string, to: string) =>
    Date.parse(iso) >= Date.parse(from) && Date.parse(iso) < Date.parse(to);
  const meanKey = (m: Pick<SensorHourMean, 'sensorId' | 'measurement' | 'hour'>) =>
    `${m.sensorId}|${m.measurement}|${Date.parse(m.hour)}`;
  const repository: SensorRollupRepository = {
    async sensorsHeard(from, to) {
      return [...new Set(readings.filter((r) => within(r.timestamp, from, to)).map((r) => r.sensor_id))].sort();
    },
    async loadReadings(sensorIds, from, to) {
      return readings.filter((r) => sensorIds.includes(r.sensor_id) && within(r.timestamp, from, to));
    },
    async replaceHourlyMeans({ sensorIds, from, to, means: rows }) {
      const wanted = new Set(rows.map(meanKey));
      let removed = 0;
      for (const [key, row] of means) {
        if (sensorIds.includes(row.sensorId) && within(row.hour, from, to) && !wanted.has(key)) {
          means.delete(key);
          removed += 1;
        }
      }
      let written = 0;
      for (const row of rows) {
        if (JSON.stringify(means.get(meanKey(row))) === JSON.stringify(row)) continue;
        means.set(meanKey(row), row);
        written += 1;
      }
      return { written, removed };
    },
    async loadHourlyMeans(from, to) {
      return [...means.values()].filter(
        (m) => within(m.hour, from, to) && (referencePollutants as readonly string[]).includes(m.measurement),
      );
    },
    async activeSensors() {
      return seed.sensors
        .filter((s) => (s.status ?? 'active') === 'active')
        .map(({ id, latitude, longitude, nearestLocationId }) => ({ id, latitude, longitude, nearestLocationId }));
    },
    async loadReferenceHours(locationIds, from, to) {
      return (seed.references ?? []).filter((r) => locationIds.includes(r.locationId) && within(r.hour, from, to));
    },
    async openAnomalies(at) {
      const atMs = Date.parse(at);
      return [...anomalies.values()]
        .filter(
          ({ anomaly, closedAt }) =>
            (hourlyAnomalyTypes as readonly string[]).includes(anomaly.type) &&
            Date.parse(anomaly.detected_at) <= atMs &&
            (closedAt === undefined || Date.parse(closedAt) > atMs),
        )
        .map(({ anomaly }) => anomaly);
    },
    async baselinesBefore(day) {
      return [...baselines.values()].filter((b) => b.establishedOn < day);
    },
    async storeDailyChecks(input) {
      let baselinesWritten = 0;
      for (const row of input.baselines) {
        const key = `${row.sensorId}|${row.measurement}`;
        const known = baselines.get(key);
        if (known && (known.establishedOn < row.establishedOn || JSON.stringify(known) === JSON.stringify(row)))
          continue;
        baselines.set(key, row);
        baselinesWritten += 1;
      }
      let calibrationsWritten = 0;
      for (const row of input.calibrations) {
        const key = `${row.sensorId}|${row.measurement}|${row.windowDays}|${row.asOf}`;
        if (JSON.stringify(calibrations.get(key)) === JSON.stringify(row)) continue;
        calibrations.set(key, row);
        calibrationsWritten += 1;
      }
      let anomaliesWritten = 0;
      for (const { anomaly, closedAt } of input.anomalies) {
        const known = anomalies.get(anomaly.id);
        const later = !known || Date.parse(anomaly.window.end) >= Date.parse(known.anomaly.window.end);
        const merged = known
          ? {
              anomaly: {
                ...(later ? anomaly : known.anomaly),
                score: Math.max(known.anomaly.score, anomaly.score),
                window: {
                  start: known.anomaly.window.start,
                  end: later ? anomaly.window.end : known.anomaly.window.end,
                },
                detected_at: known.anomaly.detected_at,
              },
              ...((closedAt ?? known.closedAt) === undefined ? {} : { closedAt: closedAt ?? known.closedAt }),
            }
          : { anomaly, ...(closedAt === undefined ? {} : { closedAt }) };
        if (JSON.stringify(known) === JSON.stringify(merged)) continue;
        anomalies.set(anomaly.id, merged);
        anomaliesWritten += 1;
      }
      return { calibrationsWritten, baselinesWritten, anomaliesWritten };
    },
  };
  return { repository, readings, means, calibrations, baselines, anomalies };
}

/** Report rows by workflow id (a retry rewrites one), and the newest stored hour to answer. */
export function fakeMonitoring(latest?: string) {
  const reports = new Map<string, MonitoringReportRecord & { id: number }>();
  const repository: MonitoringRepository = {
    async latestStoredHour() {
      return latest;
    },
    async saveReport(record) {
      const id = reports.get(record.workflowId)?.id ?? reports.size + 1;
      reports.set(record.workflowId, { ...record, id });
      return id;
    },
    async driftVerdicts(modelName, modelVersion) {
      return [...reports.values()]
        .filter((r) => r.modelName === modelName && r.modelVersion === modelVersion)
        .sort((a, b) => (a.currentTo === b.currentTo ? b.id - a.id : a.currentTo < b.currentTo ? 1 : -1))
        .map((r) => ({
          reportId: r.id,
          from: r.currentFrom,
          to: r.currentTo,
          ...(r.datasetDrift === undefined ? {} : { datasetDrift: r.datasetDrift }),
          ...(r.summary === undefined ? {} : { summary: r.summary }),
          ...((r.htmlUrl ?? r.runUrl) === undefined ? {} : { reportUrl: r.htmlUrl ?? r.runUrl }),
        }));
    },
  };
  return { repository, reports };
}

/**
 * The prediction log: one prediction per version, location, origin and horizon (the first kept); `actuals`
 * (location|ISO hour → index) stands for the stored readings the resolve step reads.
 */
export function fakePredictionLog(actuals: Map<string, number> = new Map()) {
  const predictions = new Map<string, LoggedPrediction & { source: string; actual?: number }>();
  const holdouts = new Map<string, ModelHoldout>();
  const repository: PredictionLogRepository = {
    async log(batch, source) {
      let added = 0;
      for (const p of batch) {
        const key = [p.modelName, p.modelVersion, p.locationId, p.originHour, p.horizonHours].join('|');
        if (predictions.has(key)) continue;
        predictions.set(key, { ...p, source });
        added += 1;
      }
      return added;
    },
    async resolveActuals() {
      let resolved = 0;
      for (const p of predictions.values()) {
        const actual = actuals.get(`${p.locationId}|${p.targetHour}`);
        if (p.actual !== undefined || actual === undefined) continue;
        p.actual = actual;
        resolved += 1;
      }
      return resolved;
    },
    async tally({ modelName, modelVersion, hours, to }) {
      const groups = new Map<string, (LoggedPrediction & { actual?: number })[]>();
      for (const p of predictions.values()) {
        if ((modelName && p.modelName !== modelName) || (modelVersion && p.modelVersion !== modelVersion)) continue;
        const key = `${p.modelName}|${p.modelVersion}|${p.horizonHours}`;
        groups.set(key, [...(groups.get(key) ?? []), p]);
      }
      const tallies: PredictionTally[] = [];
      for (const rows of groups.values()) {
        const first = rows[0];
        if (!first || to === undefined) continue;
        const from = new Date(Date.parse(to) - hours * 3_600_000).toISOString().replace('.000Z', 'Z');
        const inWindow = rows.filter((p) => p.targetHour >= from && p.targetHour < to);
        const resolved = inWindow.filter((p) => p.actual !== undefined);
        const errors = resolved.map((p) => Math.abs(p.predicted - (p.actual ?? 0)));
        tallies.push({
          modelName: first.modelName,
          modelVersion: first.modelVersion,
          horizonHours: first.horizonHours,
          from,
          to,
          resolved: resolved.length,
          hours: new Set(resolved.map((p) => p.targetHour)).size,
          pending: inWindow.length - resolved.length,
          ...(errors.length === 0 ? {} : { mae: errors.reduce((a, b) => a + b, 0) / errors.length }),
        });
      }
      return tallies;
    },
    async recordHoldout(holdout) {
      holdouts.set(`${holdout.modelName}@${holdout.modelVersion}`, holdout);
    },
  };
  return { repository, predictions, holdouts, actuals };
}

/** The retraining ledger: a trigger's own claim again, a started claim joined within the cooldown. */
export function fakeRetraining() {
  const claims: (RetrainClaimInput & { outcome: 'started' | 'joined'; workflowId: string; startedAt: string })[] = [];
  const until = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();
  const repository: RetrainingRepository = {
    async claim(input) {
      const mine = claims.find((c) => c.triggerWorkflowId === input.triggerWorkflowId);
      const recent = claims.find(
        (c) =>
          c.modelName === input.modelName &&
          c.outcome === 'started' &&
          Date.parse(c.at) > Date.parse(input.at) - input.cooldownMs,
      );
      const claim = mine ?? {
        ...input,
        outcome: recent ? ('joined' as const) : ('started' as const),
        workflowId: recent?.workflowId ?? input.trainingWorkflowId,
        startedAt: recent?.at ?? input.at,
      };
      if (!mine) claims.push(claim);
      return {
        outcome: claim.outcome,
        trainingWorkflowId: claim.workflowId,
        claimedAt: claim.startedAt,
        cooldownUntil: until(claim.startedAt, input.cooldownMs),
      };
    },
  };
  return { repository, claims };
}

/** Every repository, empty: override the ones a test is about. */
export function fakeRepositories(overrides: Partial<ActivityRepositories> = {}): ActivityRepositories {
  return {
    locations: fakeLocations([]),
    readings: fakeReadings().repository,
    quality: fakeQuality([]).repository,
    trainingSet: fakeTrainingSet([]),
    promotions: fakePromotions().repository,
    platformChecks: fakePlatformChecks().repository,
    incidents: fakeIncidents().repository,
    sensorRollup: fakeSensorRollup({ sensors: [] }).repository,
    alerts: fakeAlerts().repository,
    monitoring: fakeMonitoring().repository,
    predictionLog: fakePredictionLog().repository,
    retraining: fakeRetraining().repository,
    airQuality: { poorHours: () => Promise.resolve([]) },
    ...overrides,
  };
}

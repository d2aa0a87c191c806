import type {
  ActivityRepositories,
  IncidentRecord,
  IncidentStep,
  IncidentsRepository,
  LocationsRepository,
  PlatformChecksRepository,
  PromotionsRepository,
  QualityRepository,
  ReadingsRepository,
  TrainingSetRepository,
} from '../../activities/repositories';
import type { PromotionRecord } from '../../adapters/postgres/promotions';
import type { RawPayload } from '../../adapters/postgres/raw-payloads';
import type { ReadingToStore } from '../../adapters/postgres/readings-store';
import type { DoctorReport } from '../../core/doctor';
import { AppError } from '../../core/errors';
import type { Location } from '../../core/locations/location';
import type { QualityRow } from '../../core/quality/assess';

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
    ...overrides,
  };
}

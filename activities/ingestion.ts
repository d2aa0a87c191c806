import { Context } from '@temporalio/activity';
import type { Producer } from 'kafkajs';

import type { PlannedCall } from '../adapters/open-meteo/client';
import { indicesForPlace } from '../core/air-quality/indices';
import type { RawReadingMessage } from '../core/air-quality/messages';
import { notCoveredMessage, uncoveredLocations, type HeldPlace } from '../core/air-quality/open-meteo/coverage';
import type { Reading } from '../core/air-quality/reading';
import { AppError } from '../core/errors';
import { parseHour, toHourString, type HistoryChunk } from '../core/ingestion/chunks';
import type { Location } from '../core/locations/location';
import { topics } from '../core/topics';

import { failFastOnPermanent } from './failures';
import type { LocationsRepository, ReadingsRepository } from './repositories';

/** What the ingestion activities need from an Open-Meteo-compatible source (live API or replay server). */
export interface HourlySource {
  fetchCurrent(locations: Location[]): Promise<{ locationId: string; reading: Reading }[]>;
  fetchHourly(request: { locations: Location[]; from: string; to: string }): Promise<{
    readings: { locationId: string; reading: Reading }[];
    payloads: { requestKey: string; url: string; body: unknown }[];
  }>;
  planHourly(request: { locations: Location[]; from: string; to: string }): PlannedCall[];
}

export interface IngestionDeps {
  locations: LocationsRepository;
  readings: ReadingsRepository;
  source: {
    name: string;
    client: HourlySource;
    /** What an offline source holds (the replay server); absent for the live API, which holds everything. */
    holdings?: () => Promise<HeldPlace[]>;
  };
  producer: Producer;
}

/** Where a backfill's data will come from: the locations with their coordinates and the calls planned. */
export interface SourcePlan {
  source: string;
  locations: Location[];
  calls: PlannedCall[];
}

/** A published reading, as the wait for the stream processor checks it. */
export interface PublishedReading {
  locationId: string;
  observedAt: string;
  values: Reading['values'];
}

const sameValue = (stored: unknown, published: number | null | undefined): boolean =>
  published === null || published === undefined
    ? stored === null
    : typeof stored === 'number' && Math.abs(stored - published) < 1e-9;

export interface ChunkResult {
  locationId: string;
  fetched: number;
  written: number;
  unchanged: number;
}

const dayMs = 24 * 3600_000;

export function createIngestionActivities({ locations: places, readings, source, producer }: IngestionDeps) {
  const runIdOf = () => Context.current().info.workflowExecution?.workflowId ?? 'unknown';

  const activities = {
    /**
     * Checks, before anything is fetched or written, that the source can serve the window for these
     * locations, and returns the calls a backfill will make. An offline source that does not hold a place
     * or hour fails the run at once, naming what it does hold and how to go live (AQI_SOURCE=open-meteo).
     */
    async planHistorySource(input: { locationIds: string[]; from: string; to: string }): Promise<SourcePlan> {
      const locations = await places.find(input.locationIds);
      if (source.holdings) {
        const held = await source.holdings();
        const missing = uncoveredLocations(held, locations, input.from, input.to);
        if (missing.length > 0) throw new AppError('SOURCE_NOT_COVERED', notCoveredMessage(held, missing));
      }
      return { source: source.name, locations, calls: source.client.planHourly({ locations, ...input }) };
    },

    /**
     * Backfill one location × month straight into PostgreSQL (COPY + upsert). The day before the chunk is
     * fetched too, when the source has it, so the first hours get their 24-hour PM averages even though
     * chunks run in parallel; only the chunk's own hours are stored.
     */
    async ingestHistoryChunk(chunk: HistoryChunk): Promise<ChunkResult> {
      const heartbeat = (step: string) => Context.current().heartbeat({ step, chunk });
      heartbeat('fetch');
      const [location] = await places.find([chunk.locationId]);
      if (!location) throw new AppError('UNKNOWN_LOCATION', chunk.locationId);
      const fetched = await source.client.fetchHourly({ locations: [location], from: chunk.from, to: chunk.to });
      const before = await source.client
        .fetchHourly({
          locations: [location],
          from: toHourString(parseHour(chunk.from, 'from') - dayMs),
          to: toHourString(parseHour(chunk.from, 'from') - 3600_000),
        })
        .catch((err: unknown) => {
          // Before the source's first hour there is simply no history: those hours get fewer indices.
          if (err instanceof AppError && err.code === 'OPEN_METEO_ERROR') return { readings: [], payloads: [] };
          throw err;
        });
      heartbeat('store');
      const chunkReadings = fetched.readings.map((r) => r.reading);
      const history = before.readings.map((r) => r.reading);
      const indices = indicesForPlace([...history, ...chunkReadings]).slice(history.length);
      const runId = runIdOf();
      await readings.storeRawPayloads(
        fetched.payloads.map((p) => ({ requestId: p.requestKey, url: p.url, body: p.body })),
        { source: source.name, runId, fetchedAt: new Date().toISOString() },
      );
      const stored = await readings.store(
        chunkReadings.map((reading, i) => ({ locationId: location.id, reading, indices: indices[i] ?? [] })),
        { source: source.name, runId },
      );
      return {
        locationId: location.id,
        fetched: chunkReadings.length,
        written: stored.written,
        unchanged: stored.unchanged,
      };
    },

    /**
     * The newest complete hour the source has for these locations, from its `current` answer: the live
     * API's present, or the replay server's clock. Scheduled runs ingest "the latest hour" through this.
     */
    async latestSourceHour(input: { locationIds: string[] }): Promise<string> {
      const current = await source.client.fetchCurrent(await places.find(input.locationIds));
      const hours = current.map((c) => Math.floor(Date.parse(c.reading.observedAt) / 3600_000) * 3600_000);
      if (hours.length === 0) throw new AppError('OPEN_METEO_ERROR', 'the source reported no current hour');
      return toHourString(Math.min(...hours));
    },

    /** Fetches the hours of the window and publishes them to `aqi.raw`, keyed by location. */
    async publishRawReadings(input: {
      locationIds: string[];
      from: string;
      to: string;
    }): Promise<{ published: number; expected: PublishedReading[] }> {
      const locations = await places.find(input.locationIds);
      const fetched = await source.client.fetchHourly({ locations, from: input.from, to: input.to });
      const runId = runIdOf();
      const fetchedAt = new Date().toISOString();
      await readings.storeRawPayloads(
        fetched.payloads.map((p) => ({ requestId: p.requestKey, url: p.url, body: p.body })),
        { source: source.name, runId, fetchedAt },
      );
      const messages = fetched.readings.map(({ locationId, reading }) => {
        const message: RawReadingMessage = {
          schema: 'aqi.raw/v1',
          locationId,
          source: source.name,
          runId,
          fetchedAt,
          reading,
        };
        return { key: locationId, value: JSON.stringify(message) };
      });
      await producer.send({ topic: topics.aqiRaw, messages });
      const expected = fetched.readings.map(({ locationId, reading }) => ({
        locationId,
        observedAt: reading.observedAt,
        values: reading.values,
      }));
      return { published: messages.length, expected };
    },

    /**
     * Succeeds once every published reading is stored with the values published (not merely present: a
     * revised hour is only done when its new values are in); otherwise throws, and the activity's retry
     * policy is the wait. An hour replayed with unchanged values passes at once.
     */
    async awaitReadingsPersisted(input: { expected: PublishedReading[] }): Promise<{ persisted: number }> {
      const hours = await readings.findHours(input.expected);
      const stored = new Map(hours.map((h) => [`${h.locationId}|${Date.parse(h.observedAt)}`, h.values]));
      const persisted = input.expected.filter((e) => {
        const values: Record<string, unknown> | undefined = stored.get(`${e.locationId}|${Date.parse(e.observedAt)}`);
        return values !== undefined && Object.entries(e.values).every(([v, value]) => sameValue(values[v], value));
      }).length;
      if (persisted < input.expected.length) {
        throw new AppError(
          'NOT_YET_PERSISTED',
          `stream processor has stored ${persisted} of ${input.expected.length} readings as published`,
        );
      }
      return { persisted };
    },
  };
  // These talk to the source: a refusal from it (bad coordinates, range) is final.
  return {
    ...activities,
    planHistorySource: (input: Parameters<typeof activities.planHistorySource>[0]) =>
      failFastOnPermanent(() => activities.planHistorySource(input)),
    ingestHistoryChunk: (chunk: HistoryChunk) => failFastOnPermanent(() => activities.ingestHistoryChunk(chunk)),
    latestSourceHour: (input: { locationIds: string[] }) =>
      failFastOnPermanent(() => activities.latestSourceHour(input)),
    publishRawReadings: (input: Parameters<typeof activities.publishRawReadings>[0]) =>
      failFastOnPermanent(() => activities.publishRawReadings(input)),
  };
}

export type IngestionActivities = ReturnType<typeof createIngestionActivities>;

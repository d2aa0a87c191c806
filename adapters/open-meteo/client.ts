import { z } from 'zod';

import { parseOpenMeteoCurrent, parseOpenMeteoJson } from '../../core/air-quality/open-meteo/json';
import {
  hourlyVariables,
  planCurrentRequests,
  planHourlyRequests,
  requestKey,
  type CellSelection,
  type OpenMeteoQuery,
  type PlannedLocation,
} from '../../core/air-quality/open-meteo/request-plan';
import { type Reading } from '../../core/air-quality/reading';
import { AppError, describeError } from '../../core/errors';

/**
 * Client of `GET /v1/air-quality`, the live Open-Meteo API or the replay server (only `baseUrl` differs).
 * 1. plan the calls (≤ 14 days, ≤ 10 variables, several locations each) and pace them with a token bucket;
 * 2. retry 429, 5xx and network failures with exponential backoff and jitter, honouring `Retry-After`;
 * 3. turn Open-Meteo's `{"error":true,"reason":…}` into a non-retryable AppError('OPEN_METEO_ERROR');
 * 4. parse each location of the answer and tie it to the requested location by position (the answer carries
 *    the grid cell's coordinates, not the ones asked), merging variable chunks into one reading per hour.
 */

export interface LocatedReading {
  locationId: string;
  reading: Reading;
}

export interface RawPayload {
  requestKey: string;
  url: string;
  body: unknown;
}

export interface OpenMeteoClient {
  fetchHourly(request: {
    locations: readonly PlannedLocation[];
    from: string;
    to: string;
    variables?: readonly string[];
  }): Promise<{ readings: LocatedReading[]; payloads: RawPayload[] }>;
  fetchCurrent(locations: readonly PlannedLocation[], variables?: readonly string[]): Promise<LocatedReading[]>;
  /** The calls `fetchHourly` would make for this window, without making them (a backfill's dry run shows them). */
  planHourly(request: { locations: readonly PlannedLocation[]; from: string; to: string }): PlannedCall[];
}

export interface PlannedCall {
  url: string;
  locationIds: string[];
  /** What the free tier charges for the call. */
  weight: number;
}

export interface OpenMeteoClientOptions {
  baseUrl: string;
  fetchImpl?: typeof fetch;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Open-Meteo's free tier allows 600 weighted calls a minute (and 5,000 an hour, 10,000 a day). */
  callsPerMinute?: number;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  cellSelection?: CellSelection;
  locationsPerCall?: number;
}

const refusal = z.object({ error: z.literal(true), reason: z.string() });
// Only what the merge relies on: one object per requested location; the parsers check the rest.
const answer = z.union([z.looseObject({}), z.array(z.looseObject({})).min(1)]);

const retryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;
/** A wait longer than this is left to the workflow's retry policy instead of sleeping inside the activity. */
const longestWaitMs = 120_000;

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/** Reserves `weight` calls; resolves when the minute's budget allows them (GCRA, safe under concurrency). */
function rateLimiter(callsPerMinute: number, sleep: (ms: number) => Promise<void>) {
  const msPerCall = 60_000 / callsPerMinute;
  let theoreticalArrival = 0;
  return async (weight: number): Promise<void> => {
    const now = Date.now();
    theoreticalArrival = Math.max(theoreticalArrival, now) + weight * msPerCall;
    const wait = theoreticalArrival - now - 60_000;
    if (wait > 0) await sleep(wait);
  };
}

function refused(status: number, text: string, url: string): AppError {
  let reason = text.slice(0, 300);
  try {
    const parsed = refusal.safeParse(JSON.parse(text));
    if (parsed.success) reason = parsed.data.reason;
  } catch {
    // not JSON: keep the text
  }
  return new AppError('OPEN_METEO_ERROR', `Open-Meteo refused the request (HTTP ${status}): ${reason} [${url}]`, {
    httpStatus: 400,
  });
}

export function createOpenMeteoClient(options: OpenMeteoClientOptions): OpenMeteoClient {
  const fetchImpl = options.fetchImpl ?? fetch;
  const maxRetries = options.maxRetries ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const limit = rateLimiter(options.callsPerMinute ?? 600, sleep);
  const plan = { cellSelection: options.cellSelection, locationsPerCall: options.locationsPerCall };
  const urlOf = (query: OpenMeteoQuery) => {
    const params = Object.entries(query.params).filter((p): p is [string, string] => p[1] !== undefined);
    return `${options.baseUrl.replace(/\/+$/, '')}/v1/air-quality?${new URLSearchParams(params)}`;
  };

  async function getJson(url: string, weight: number): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      await limit(weight);
      let failure: string;
      let waitAtLeast = 0;
      try {
        const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
        const text = await response.text();
        if (response.ok) return parseBody(text, url);
        if (!retryableStatus(response.status)) throw refused(response.status, text, url);
        failure = `HTTP ${response.status}: ${text.slice(0, 200)}`;
        waitAtLeast = retryAfterMs(response.headers.get('retry-after')) ?? 0;
      } catch (err) {
        if (err instanceof AppError) throw err;
        failure = describeError(err);
      }
      const backoff = Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      const wait = Math.max(backoff, waitAtLeast);
      if (attempt >= maxRetries || wait > longestWaitMs) {
        throw new AppError(
          'OPEN_METEO_UNAVAILABLE',
          `Open-Meteo failed ${attempt + 1} time(s), last: ${failure} [${url}]`,
          {
            httpStatus: 503,
          },
        );
      }
      await sleep(wait);
    }
  }

  function parseBody(text: string, url: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new AppError('OPEN_METEO_SHAPE', `Open-Meteo answered 200 with invalid JSON [${url}]`, {
        httpStatus: 422,
        cause: err,
      });
    }
  }

  /** The answer's location objects, one per requested location, in the requested order. */
  function perLocation(body: unknown, query: OpenMeteoQuery, url: string): unknown[] {
    if (refusal.safeParse(body).success) return [body]; // the parsers turn it into OPEN_METEO_ERROR
    const parsed = answer.safeParse(body);
    const locations = parsed.success ? (Array.isArray(parsed.data) ? parsed.data : [parsed.data]) : [];
    if (locations.length !== query.locationIds.length) {
      throw new AppError(
        'OPEN_METEO_SHAPE',
        `Open-Meteo answered ${locations.length} location(s) for ${query.locationIds.length} requested [${url}]`,
        { httpStatus: 422 },
      );
    }
    return locations;
  }

  return {
    planHourly({ locations, from, to }) {
      return planHourlyRequests({ locations, from, to, variables: hourlyVariables, ...plan }).map((query) => ({
        url: urlOf(query),
        locationIds: query.locationIds,
        weight: query.weight,
      }));
    },

    async fetchHourly({ locations, from, to, variables = hourlyVariables }) {
      const queries = planHourlyRequests({ locations, from, to, variables, ...plan });
      const merged = new Map<string, LocatedReading>();
      const payloads: RawPayload[] = [];
      for (const query of queries) {
        const url = urlOf(query);
        const body = await getJson(url, query.weight);
        payloads.push({ requestKey: requestKey(query), url, body });
        perLocation(body, query, url).forEach((location, i) => {
          const locationId = query.locationIds[i] ?? '';
          for (const reading of parseOpenMeteoJson(location)) {
            if (reading.observedAt < from || reading.observedAt > to) continue;
            const key = `${locationId}\u0000${reading.observedAt}`;
            const seen = merged.get(key)?.reading;
            if (seen) {
              Object.assign(seen.values, reading.values);
              Object.assign(seen.reported, reading.reported);
            } else {
              merged.set(key, { locationId, reading });
            }
          }
        });
      }
      const order = new Map(locations.map((l, i) => [l.id, i] as const));
      const readings = [...merged.values()].sort(
        (a, b) =>
          (order.get(a.locationId) ?? 0) - (order.get(b.locationId) ?? 0) ||
          (a.reading.observedAt < b.reading.observedAt ? -1 : 1),
      );
      return { readings, payloads };
    },

    async fetchCurrent(locations, variables = hourlyVariables) {
      const readings: LocatedReading[] = [];
      for (const query of planCurrentRequests({ locations, variables, ...plan })) {
        const url = urlOf(query);
        const body = await getJson(url, query.weight);
        perLocation(body, query, url).forEach((location, i) => {
          const [reading] = parseOpenMeteoCurrent(location);
          if (reading) readings.push({ locationId: query.locationIds[i] ?? '', reading });
        });
      }
      return readings;
    },
  };
}

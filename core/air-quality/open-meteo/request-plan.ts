import { AppError } from '../../errors';

/**
 * Plans the `GET /v1/air-quality` calls behind one hourly window. Open-Meteo's free tier counts a request as
 * `locations × max(1, variables / 10) × max(1, days / 14)` calls, so each query stays within 14 days and 10
 * variables: every location then costs exactly one call, and a failed query loses little. Several locations
 * share a query (comma-separated coordinates; the API answers an array in the same order).
 */

/** What the platform asks Open-Meteo for by default: 11 variables, hence two variable chunks per window. */
export const hourlyVariables = [
  'pm10',
  'pm2_5',
  'carbon_monoxide',
  'nitrogen_dioxide',
  'sulphur_dioxide',
  'ozone',
  'uv_index',
  'dust',
  'ammonia',
  'european_aqi',
  'us_aqi',
] as const;

/** Open-Meteo's grid-cell choice: `nearest` (its default), or a cell on `land` / `sea`. */
export type CellSelection = 'nearest' | 'land' | 'sea';

export interface PlannedLocation {
  id: string;
  latitude: number;
  longitude: number;
}

/** One call's URL parameters, in Open-Meteo's names. Whole days use dates, partial days hours (`T05:00`). */
export interface OpenMeteoParams {
  latitude: string;
  longitude: string;
  hourly?: string;
  current?: string;
  timezone: 'GMT';
  cell_selection: CellSelection;
  start_date?: string;
  end_date?: string;
  start_hour?: string;
  end_hour?: string;
}

export interface OpenMeteoQuery {
  /** The requested locations' ids, in the order of `latitude`/`longitude` and of the answer. */
  locationIds: string[];
  params: OpenMeteoParams;
  /** What the free tier charges for this query, in calls (see the formula above). */
  weight: number;
}

export const maxDaysPerCall = 14;
export const maxVariablesPerCall = 10;
/** Open-Meteo accepts up to 1,000 coordinates; 50 keeps URLs short and a failed query cheap to redo. */
export const defaultLocationsPerCall = 50;

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const utcHour = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):00:00Z$/;

/** Parses a platform hour `YYYY-MM-DDTHH:00:00Z` to epoch milliseconds, refusing anything else. */
export function parseUtcHour(text: string, name: string): number {
  const match = utcHour.exec(text);
  const ms = match === null ? NaN : Date.parse(text);
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== text.replace('Z', '.000Z')) {
    throw new AppError('INVALID_HOUR', `${name} "${text}" is not a UTC hour like 2024-01-01T05:00:00Z`, {
      httpStatus: 400,
    });
  }
  return ms;
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Open-Meteo's `start_hour`/`end_hour` format, `yyyy-mm-ddThh:mm` (open-meteo.com/en/docs/air-quality-api). */
const isoMinute = (ms: number): string => new Date(ms).toISOString().slice(0, 16);

export function callWeight(locations: number, variables: number, hours: number): number {
  return locations * Math.max(1, variables / maxVariablesPerCall) * Math.max(1, hours / 24 / maxDaysPerCall);
}

function inGroupsOf<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** Splits into as few groups of at most `max` as possible, evenly (11 → 6 + 5, not 10 + 1). */
function evenGroups<T>(items: readonly T[], max: number): T[][] {
  return inGroupsOf(items, Math.ceil(items.length / Math.ceil(items.length / max)));
}

/** Windows aligned on UTC days, 14 days each, clipped to [start, end]: inner windows are whole days. */
function timeWindows(start: number, end: number): { from: number; to: number }[] {
  const windows: { from: number; to: number }[] = [];
  for (let day = Math.floor(start / dayMs) * dayMs; day <= end; day += maxDaysPerCall * dayMs) {
    windows.push({ from: Math.max(start, day), to: Math.min(end, day + maxDaysPerCall * dayMs - hourMs) });
  }
  return windows;
}

function timeParams(
  from: number,
  to: number,
): Pick<OpenMeteoParams, 'start_date' | 'end_date' | 'start_hour' | 'end_hour'> {
  const wholeDays = from % dayMs === 0 && (to + hourMs) % dayMs === 0;
  return wholeDays
    ? { start_date: isoDate(from), end_date: isoDate(to) }
    : { start_hour: isoMinute(from), end_hour: isoMinute(to) };
}

function coordinates(locations: readonly PlannedLocation[]) {
  return {
    locationIds: locations.map((l) => l.id),
    latitude: locations.map((l) => l.latitude).join(','),
    longitude: locations.map((l) => l.longitude).join(','),
  };
}

function checkVariables(variables: readonly string[]): void {
  if (variables.length === 0)
    throw new AppError('INVALID_VARIABLES', 'at least one variable is needed', { httpStatus: 400 });
}

/** Every query for `variables` at `locations`, hour `from` to hour `to` inclusive (UTC). */
export function planHourlyRequests(input: {
  locations: readonly PlannedLocation[];
  from: string;
  to: string;
  variables: readonly string[];
  cellSelection?: CellSelection;
  locationsPerCall?: number;
}): OpenMeteoQuery[] {
  const start = parseUtcHour(input.from, 'from');
  const end = parseUtcHour(input.to, 'to');
  if (end < start)
    throw new AppError('INVALID_HOUR', `to ${input.to} is before from ${input.from}`, { httpStatus: 400 });
  checkVariables(input.variables);

  const queries: OpenMeteoQuery[] = [];
  for (const group of inGroupsOf(input.locations, input.locationsPerCall ?? defaultLocationsPerCall)) {
    const { locationIds, latitude, longitude } = coordinates(group);
    for (const window of timeWindows(start, end)) {
      for (const variables of evenGroups(input.variables, maxVariablesPerCall)) {
        const hours = (window.to - window.from) / hourMs + 1;
        queries.push({
          locationIds,
          params: {
            latitude,
            longitude,
            hourly: variables.join(','),
            timezone: 'GMT',
            cell_selection: input.cellSelection ?? 'nearest',
            ...timeParams(window.from, window.to),
          },
          weight: callWeight(group.length, variables.length, hours),
        });
      }
    }
  }
  return queries;
}

/** The queries for the `current` block (the hour the source calls now), all variables in one call. */
export function planCurrentRequests(input: {
  locations: readonly PlannedLocation[];
  variables: readonly string[];
  cellSelection?: CellSelection;
  locationsPerCall?: number;
}): OpenMeteoQuery[] {
  checkVariables(input.variables);
  return inGroupsOf(input.locations, input.locationsPerCall ?? defaultLocationsPerCall).map((group) => {
    const { locationIds, latitude, longitude } = coordinates(group);
    return {
      locationIds,
      params: {
        latitude,
        longitude,
        current: input.variables.join(','),
        timezone: 'GMT',
        cell_selection: input.cellSelection ?? 'nearest',
      },
      weight: callWeight(group.length, input.variables.length, 1),
    };
  });
}

/**
 * A stable key for what a query asks (parameters sorted by name, unencoded), so storing its raw payload twice
 * updates one row. The base URL is left out: the store keeps the source beside the key.
 */
export function requestKey(query: OpenMeteoQuery): string {
  const pairs = Object.entries(query.params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`);
  return `v1/air-quality?${pairs.join('&')}`;
}

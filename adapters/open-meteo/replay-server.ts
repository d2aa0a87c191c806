import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import express, { type Express, type NextFunction, type Request, type Response } from 'express';

import { expectedUnits, targetOf } from '../../core/air-quality/open-meteo/columns';
import { parseOpenMeteoCsv } from '../../core/air-quality/open-meteo/csv';
import {
  groupPlaces,
  gridCell,
  hourSpans,
  nearestPlaceDegrees,
  type ExportPlace,
} from '../../core/air-quality/open-meteo/places';
import { type Reading } from '../../core/air-quality/reading';
import { AppError } from '../../core/errors';
import type { Logger } from '../logger';

/**
 * `GET /v1/air-quality` answered like Open-Meteo from the CSV exports in `dataDir`, so the platform runs and
 * is tested offline on real data, through the same client as the live API.
 * - Places: readings whose coordinates are within 0.1° of each other (in latitude and in longitude) are one
 *   place, e.g. the Lyon export's grid cell (45.7, 4.8) and the 3-city file's Lyon (45.764, 4.8357). A place
 *   answers with the coordinate that holds the most hours; a request maps to the nearest place within 0.25°.
 * - Time: only GMT/UTC. Hourly ranges must lie inside hours the place holds; variables it lacks are null.
 * - Clock: `now` anchors `current`, `past_days` and `forecast_days`; the header `X-Replay-Now: <ISO time>`
 *   overrides it for one request, so tests and replays of past hours need no restart.
 * - Attribution (CC BY 4.0) travels in an `X-Data-Attribution` header and an `attribution` field, which the
 *   real API does not have and the platform's parser ignores.
 */
export const attribution = 'Air quality data by Open-Meteo.com (CAMS), CC BY 4.0';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

interface Place extends ExportPlace {
  /** Contiguous runs of held hours, as [first, last]. */
  spans: [number, number][];
}

// Open-Meteo's other air-quality variables (open-meteo.com/en/docs/air-quality-api): accepted, always null here.
const subIndices = ['pm2_5', 'pm10', 'nitrogen_dioxide', 'no2', 'ozone', 'o3', 'sulphur_dioxide', 'so2'];
const otherGases =
  'methane formaldehyde glyoxal non_methane_volatile_organic_compounds pm10_wildfires peroxyacyl_nitrates ' +
  'secondary_inorganic_aerosol residential_elementary_carbon total_elementary_carbon pm2_5_total_organic_matter ' +
  'sea_salt_aerosol nitrogen_monoxide';
const units = new Map<string, string>([
  ...Object.entries(expectedUnits),
  ['carbon_dioxide', 'ppm'],
  ...otherGases.split(' ').map((name): [string, string] => [name, 'μg/m³']),
  ...subIndices.map((p): [string, string] => [`european_aqi_${p}`, 'EAQI']),
  ...[...subIndices, 'carbon_monoxide', 'co'].map((p): [string, string] => [`us_aqi_${p}`, 'USAQI']),
]);

const refuse = (reason: string): never => {
  throw new AppError('REPLAY_BAD_REQUEST', reason, { httpStatus: 400 });
};
const minute = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
const goLive = 'AQI_SOURCE=open-meteo fetches from the live Open-Meteo API instead';

function loadPlaces(dataDir: string): Place[] {
  const files = readdirSync(dataDir).filter((f) => f.endsWith('.csv'));
  if (files.length === 0) throw new AppError('REPLAY_NO_DATA', `no *.csv export in ${dataDir}`);
  const readings = files.sort().flatMap((file) => parseOpenMeteoCsv(readFileSync(path.join(dataDir, file), 'utf8')));
  return groupPlaces(readings).map((place) => ({ ...place, spans: hourSpans(place) }));
}

function outside(place: Place, what: string): never {
  const { latitude, longitude } = gridCell(place);
  const held = place.spans.map(([a, b]) => `${minute(a)}..${minute(b)}`).join(', ');
  return refuse(`${what} is outside the data held for (${latitude}, ${longitude}): ${held} (${goLive})`);
}

function describePlace(place: Place) {
  const variables = new Set(
    [...place.hours.values()].flatMap((r) => [...Object.keys(r.values), ...Object.keys(r.reported)]),
  );
  const ranges = place.spans.map(([from, to]) => ({ from: minute(from), to: minute(to) }));
  return { name: place.name, ...gridCell(place), variables: [...variables], ranges };
}

type Query = Request['query'];
const text = (q: Query, name: string): string | undefined => {
  const value = q[name];
  const joined = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : undefined;
  return joined === undefined || joined.trim() === '' ? undefined : joined.trim();
};
const list = (q: Query, name: string): string[] | undefined =>
  text(q, name)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function integer(q: Query, name: string, max: number): number | undefined {
  const given = text(q, name);
  if (given === undefined) return undefined;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    refuse(`Parameter '${name}' must be an integer from 0 to ${max}. Given ${given}.`);
  }
  return value;
}

/** `2024-01-01` (date) or `2024-01-01T05:00` (hour, floored) as epoch ms. */
function instant(q: Query, name: string, withTime: boolean): number | undefined {
  const given = text(q, name);
  if (given === undefined) return undefined;
  const shape = withTime ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/ : /^\d{4}-\d{2}-\d{2}$/;
  const ms = Date.parse(withTime ? `${given}Z` : `${given}T00:00Z`);
  if (!shape.test(given) || !Number.isFinite(ms) || minute(ms).slice(0, given.length) !== given) {
    refuse(`Parameter '${name}' must be ${withTime ? 'yyyy-mm-ddThh:mm' : 'yyyy-mm-dd'}. Given ${given}.`);
  }
  return Math.floor(ms / hourMs) * hourMs;
}

/** The hourly range [start, end] (end inclusive; end < start is empty), as the real API resolves it. */
function hourlyRange(q: Query, now: number): [number, number] {
  const [startHour, endHour] = [instant(q, 'start_hour', true), instant(q, 'end_hour', true)];
  const [startDate, endDate] = [instant(q, 'start_date', false), instant(q, 'end_date', false)];
  const [pastDays, forecastDays] = [integer(q, 'past_days', 92), integer(q, 'forecast_days', 7)];
  if ([startHour, endHour, startDate, endDate].every((t) => t === undefined)) {
    const today = Math.floor(now / dayMs) * dayMs;
    return [today - (pastDays ?? 0) * dayMs, today + (forecastDays ?? 5) * dayMs - hourMs];
  }
  const clash = pastDays ? 'past_days' : forecastDays ? 'forecast_days' : undefined;
  if (clash) refuse(`Parameter '${clash}' is mutually exclusive with 'start_date' and 'end_date'`);
  const byHour = startHour !== undefined || endHour !== undefined;
  const [start, end] = byHour
    ? [startHour, endHour]
    : [startDate, endDate === undefined ? undefined : endDate + dayMs - hourMs];
  if (start === undefined || end === undefined) {
    return refuse(`Both '${byHour ? 'start_hour' : 'start_date'}' and its end must be set`);
  }
  if (end < start) refuse('End-date must be larger or equals than start-date');
  return [start, end];
}

function variables(q: Query, name: 'hourly' | 'current'): string[] | undefined {
  const names = list(q, name);
  const unknown = names?.find((n) => !units.has(n));
  if (unknown !== undefined) refuse(`Unknown ${name} variable '${unknown}': not an Open-Meteo air-quality variable`);
  return names;
}

function valueOf(reading: Reading | undefined, name: string): number | null {
  const target = targetOf(name);
  if (reading === undefined || target === undefined) return null;
  return (target.kind === 'values' ? reading.values[target.variable] : reading.reported[target.index]) ?? null;
}

const section = (head: Record<string, unknown>, names: string[], value: (name: string) => unknown) => ({
  ...head,
  ...Object.fromEntries(names.map((name) => [name, value(name)])),
});

function airQuality(places: readonly Place[], q: Query, now: number): unknown {
  const started = performance.now();
  const latitudes = (list(q, 'latitude') ?? []).map(Number);
  const longitudes = (list(q, 'longitude') ?? []).map(Number);
  if (latitudes.length === 0 || latitudes.length !== longitudes.length || [...latitudes, ...longitudes].some(isNaN)) {
    refuse("Parameter 'latitude' and 'longitude' must be numbers, as many of one as of the other");
  }
  const timezone = text(q, 'timezone') ?? 'GMT';
  if (!['GMT', 'UTC'].includes(timezone)) refuse(`The replay server answers in GMT only, not timezone '${timezone}'`);
  const cellSelection = text(q, 'cell_selection') ?? 'nearest';
  if (!['land', 'sea', 'nearest'].includes(cellSelection)) refuse(`Invalid cell_selection '${cellSelection}'`);
  const [hourly, current] = [variables(q, 'hourly'), variables(q, 'current')];
  const [start, end] = hourlyRange(q, now);
  const hour = Math.floor(now / hourMs) * hourMs;

  const answers = latitudes.map((latitude, i) => {
    const longitude = longitudes[i] ?? NaN;
    const distance = (p: Place) => Math.hypot(gridCell(p).latitude - latitude, gridCell(p).longitude - longitude);
    const place = [...places].sort((a, b) => distance(a) - distance(b))[0];
    if (place === undefined || distance(place) > nearestPlaceDegrees) {
      const held = places.map((p) => `${p.name ?? '?'} (${gridCell(p).latitude}, ${gridCell(p).longitude})`);
      return refuse(
        `The replay server has no data near (${latitude}, ${longitude}); it holds ${held.join(', ')} (${goLive})`,
      );
    }
    const answer: Record<string, unknown> = {
      ...gridCell(place),
      generationtime_ms: performance.now() - started,
      utc_offset_seconds: 0,
      timezone: 'GMT',
      timezone_abbreviation: 'GMT',
      attribution,
    };
    if (current) {
      if (!place.hours.has(hour)) outside(place, `now (${minute(hour)})`);
      answer.current_units = section({ time: 'iso8601', interval: 'seconds' }, current, (v) => units.get(v));
      const held = place.hours.get(hour);
      answer.current = section({ time: minute(hour), interval: 3600 }, current, (v) => valueOf(held, v));
    }
    if (hourly) {
      if (end >= start && !place.spans.some(([a, b]) => a <= start && end <= b)) {
        outside(place, `${minute(start)}..${minute(end)}`);
      }
      const times: number[] = [];
      for (let t = start; t <= end; t += hourMs) times.push(t);
      answer.hourly_units = section({ time: 'iso8601' }, hourly, (v) => units.get(v));
      answer.hourly = section({ time: times.map(minute) }, hourly, (v) =>
        times.map((t) => valueOf(place.hours.get(t), v)),
      );
    }
    return answer;
  });
  return answers.length === 1 ? answers[0] : answers;
}

function parseNow(value: string, name: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value) ? Date.parse(value) : NaN;
  return Number.isFinite(ms)
    ? ms
    : refuse(`${name} "${value}" is not an ISO time with an offset, e.g. 2024-06-01T12:00:00Z`);
}

export function createReplayServer(options: { dataDir: string; now: string; logger?: Logger }): Express {
  const places = loadPlaces(options.dataDir);
  const defaultNow = parseNow(options.now, 'now');
  const app = express();
  app.disable('x-powered-by');
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.set('X-Data-Attribution', attribution);
    next();
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', now: new Date(defaultNow).toISOString(), attribution, places: places.map(describePlace) });
  });
  app.get('/v1/air-quality', (req, res) => {
    const override = req.get('x-replay-now');
    res.json(airQuality(places, req.query, override === undefined ? defaultNow : parseNow(override, 'X-Replay-Now')));
  });
  app.use((_req: Request, res: Response) => {
    res
      .status(404)
      .json({ error: true, reason: 'Not found: the replay server serves GET /v1/air-quality and /health' });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof AppError && err.httpStatus < 500 ? err.httpStatus : 500;
    if (status >= 500) options.logger?.error({ err, url: req.originalUrl }, 'replay request failed');
    else options.logger?.info({ url: req.originalUrl, reason: (err as Error).message }, 'replay request refused');
    res.status(status).json({ error: true, reason: status >= 500 ? 'Internal error' : (err as Error).message });
  });
  return app;
}

import { z } from 'zod';

import { AppError } from '../../errors';
import { type Reading } from '../reading';

import {
  assign,
  byPlaceThenTime,
  checkUnit,
  observedAtFromLocal,
  targetOf,
  validReading,
  type Target,
} from './columns';

/**
 * Parses the JSON answer of Open-Meteo `GET /v1/air-quality` (`timeformat=iso8601`, the default). Variables
 * the platform does not store are dropped without a warning: asking Open-Meteo for more is never an error.
 */

/** Open-Meteo answers a bad request (unknown variable, latitude out of range) with HTTP 400 and this body. */
const refusal = z.object({ error: z.literal(true), reason: z.string() });

const units = z.record(z.string(), z.string());

// Every key besides `time` is one variable's series; `null` is an hour the model has no value for.
const hourlyBlock = z.object({ time: z.array(z.string()) }).catchall(z.array(z.number().nullable()));
// `current` also carries `interval` (seconds); it is numeric like the values and dropped by `targetOf`.
const currentBlock = z.object({ time: z.string() }).catchall(z.number().nullable());

const location = z.object({
  latitude: z.number(),
  longitude: z.number(),
  generationtime_ms: z.number().optional(),
  utc_offset_seconds: z.number().int(),
  timezone: z.string().optional(),
  hourly_units: units.optional(),
  hourly: hourlyBlock.optional(),
  current_units: units.optional(),
  current: currentBlock.optional(),
});
type Location = z.infer<typeof location>;

// Several comma-separated coordinates in one request make Open-Meteo answer an array, one object each.
const responseBody = z.union([location, z.array(location).min(1)]);

const shapeError = (message: string, cause?: unknown): AppError =>
  new AppError('OPEN_METEO_SHAPE', message, { httpStatus: 422, cause });

function readLocations(body: unknown): Location[] {
  const refused = refusal.safeParse(body);
  if (refused.success) {
    throw new AppError('OPEN_METEO_ERROR', `Open-Meteo refused the request: ${refused.data.reason}`, {
      httpStatus: 400,
    });
  }
  const parsed = responseBody.safeParse(body);
  if (!parsed.success) {
    throw shapeError(
      `Open-Meteo air-quality response has an unexpected shape: ${z.prettifyError(parsed.error)}`,
      parsed.error,
    );
  }
  return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
}

const describe = (loc: Location, index: number): string => `location ${index + 1} (${loc.latitude}, ${loc.longitude})`;

function observedAt(time: string, loc: Location, where: string): string {
  const utc = observedAtFromLocal(time, loc.utc_offset_seconds);
  if (utc === undefined) {
    throw shapeError(`${where}: time "${time}" is not the start of an hour in YYYY-MM-DDTHH:MM`);
  }
  return utc;
}

function targetWithUnit(name: string, unitsOf: Record<string, string> | undefined, where: string): Target | undefined {
  const target = targetOf(name);
  const unit = unitsOf?.[name];
  if (target !== undefined && unit !== undefined) checkUnit(target, unit, where);
  return target;
}

function hourlyReadings(loc: Location, index: number): Reading[] {
  const where = describe(loc, index);
  if (loc.hourly === undefined) throw shapeError(`${where} has no hourly block; request hourly variables`);
  const { time, ...series } = loc.hourly;

  const columns: { target: Target; values: (number | null)[] }[] = [];
  for (const [name, values] of Object.entries(series)) {
    // A short series would silently shift every later hour onto the wrong time; refuse it instead.
    if (values.length !== time.length) {
      throw shapeError(`${where}: hourly.${name} has ${values.length} values for ${time.length} times`);
    }
    const target = targetWithUnit(name, loc.hourly_units, `${where} hourly_units`);
    if (target !== undefined) columns.push({ target, values });
  }

  return time.map((t, i) => {
    const draft: Reading = {
      latitude: loc.latitude,
      longitude: loc.longitude,
      observedAt: observedAt(t, loc, `${where} hourly.time[${i}]`),
      values: {},
      reported: {},
    };
    for (const { target, values } of columns) assign(target, values[i] ?? null, draft);
    return validReading(draft, `${where} at ${t}`, 'OPEN_METEO_SHAPE');
  });
}

function currentReading(loc: Location, index: number): Reading {
  const where = describe(loc, index);
  if (loc.current === undefined) throw shapeError(`${where} has no current block; request current variables`);
  const { time, ...values } = loc.current;

  const draft: Reading = {
    latitude: loc.latitude,
    longitude: loc.longitude,
    observedAt: observedAt(time, loc, `${where} current.time`),
    values: {},
    reported: {},
  };
  for (const [name, value] of Object.entries(values)) {
    const target = targetWithUnit(name, loc.current_units, `${where} current_units`);
    if (target !== undefined) assign(target, value, draft);
  }
  return validReading(draft, `${where} current`, 'OPEN_METEO_SHAPE');
}

/** Every hourly value of every location, ordered by place then time. */
export function parseOpenMeteoJson(body: unknown): Reading[] {
  return readLocations(body)
    .flatMap((loc, index) => hourlyReadings(loc, index))
    .sort(byPlaceThenTime);
}

/** The `current` block of every location, one reading each, ordered by place. */
export function parseOpenMeteoCurrent(body: unknown): Reading[] {
  return readLocations(body)
    .map((loc, index) => currentReading(loc, index))
    .sort(byPlaceThenTime);
}

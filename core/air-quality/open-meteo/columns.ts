import { z } from 'zod';

import { AppError } from '../../errors';
import {
  measuredVariables,
  reading,
  reportedIndices,
  type MeasuredVariable,
  type Reading,
  type ReportedIndex,
} from '../reading';

/**
 * What the JSON and both CSV parsers share: which Open-Meteo variable lands where in a `Reading`, the unit
 * Open-Meteo labels it with, and how its local times become the platform's `observedAt`.
 */

const microgramsPerCubicMetre = 'μg/m³';
const grainsPerCubicMetre = 'grains/m³';
const dimensionless = '';

/** The unit Open-Meteo prints in `hourly_units` and in CSV export headers (`pm10 (μg/m³)`, `uv_index ()`). */
export const expectedUnits: Readonly<Record<MeasuredVariable | ReportedIndex, string>> = {
  pm10: microgramsPerCubicMetre,
  pm2_5: microgramsPerCubicMetre,
  carbon_monoxide: microgramsPerCubicMetre,
  nitrogen_dioxide: microgramsPerCubicMetre,
  sulphur_dioxide: microgramsPerCubicMetre,
  ozone: microgramsPerCubicMetre,
  ammonia: microgramsPerCubicMetre,
  dust: microgramsPerCubicMetre,
  aerosol_optical_depth: dimensionless,
  uv_index: dimensionless,
  uv_index_clear_sky: dimensionless,
  alder_pollen: grainsPerCubicMetre,
  birch_pollen: grainsPerCubicMetre,
  grass_pollen: grainsPerCubicMetre,
  mugwort_pollen: grainsPerCubicMetre,
  olive_pollen: grainsPerCubicMetre,
  ragweed_pollen: grainsPerCubicMetre,
  european_aqi: 'EAQI',
  us_aqi: 'USAQI',
};

/** Where a source column goes; `undefined` from `targetOf` means the platform does not store it. */
export type Target = { kind: 'values'; variable: MeasuredVariable } | { kind: 'reported'; index: ReportedIndex };

const measured: ReadonlySet<string> = new Set(measuredVariables);
const reported: ReadonlySet<string> = new Set(reportedIndices);

/**
 * Open-Meteo also serves variables the platform does not store (per-pollutant AQI sub-indices, methane,
 * `interval`, …); they map to `undefined` and are dropped, so a wider request never breaks ingestion.
 */
export function targetOf(name: string): Target | undefined {
  if (measured.has(name)) return { kind: 'values', variable: name as MeasuredVariable };
  if (reported.has(name)) return { kind: 'reported', index: name as ReportedIndex };
  return undefined;
}

export function assign(target: Target, value: number | null, into: Pick<Reading, 'values' | 'reported'>): void {
  if (target.kind === 'values') into.values[target.variable] = value;
  else into.reported[target.index] = value;
}

/** Splits a CSV export header such as `pm10 (μg/m³)` into name and unit; a bare name has no unit. */
export function splitHeader(header: string): { name: string; unit: string | undefined } {
  const match = /^(.*\S)\s*\(([^()]*)\)$/.exec(header.trim());
  if (match === null) return { name: header.trim(), unit: undefined };
  return { name: match[1] ?? '', unit: match[2] ?? '' };
}

/**
 * Throws when a stored variable arrives in another unit than the one the platform stores it in. Micro is
 * written both as U+03BC (what Open-Meteo sends) and U+00B5 (what keyboards type); both mean the same.
 */
export function checkUnit(target: Target, unit: string, where: string): void {
  const name = target.kind === 'values' ? target.variable : target.index;
  const expected = expectedUnits[name];
  const normalized = unit.trim().replaceAll('\u00b5', '\u03bc');
  if (normalized !== expected) {
    throw new AppError('OPEN_METEO_UNIT', `${where}: column ${name} is in "${unit}", expected "${expected}"`, {
      httpStatus: 422,
    });
  }
}

const localMinute = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const withOffset = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.0+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * `observedAt` is always `YYYY-MM-DDTHH:MM:SSZ`: whole seconds (no milliseconds) because the data is
 * hourly, and the shortest form `z.iso.datetime({ offset: false })` accepts (it rejects `HH:MMZ`).
 * Returns `undefined` for anything that is not a real instant on the hour.
 */
function observedAtFromParts(parts: readonly (string | undefined)[], offsetSeconds: number): string | undefined {
  const [year, month, day, hour, minute, second] = parts.map((p) => Number(p ?? '0'));
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const local = Date.UTC(year, month - 1, day, hour ?? 0, minute ?? 0, second ?? 0);
  // Date.UTC rolls 2024-02-30 over to March; comparing back rejects impossible calendar dates.
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    (hour ?? 0) > 23 ||
    (minute ?? 0) > 59
  ) {
    return undefined;
  }
  const utc = local - offsetSeconds * 1000;
  if (!Number.isFinite(utc) || utc % 3_600_000 !== 0) return undefined;
  return `${new Date(utc).toISOString().slice(0, 19)}Z`;
}

/** Open-Meteo's `2024-01-01T00:00` is local time in the requested timezone, `utcOffsetSeconds` ahead of UTC. */
export function observedAtFromLocal(time: string, utcOffsetSeconds: number): string | undefined {
  const match = localMinute.exec(time);
  return match === null ? undefined : observedAtFromParts(match.slice(1), utcOffsetSeconds);
}

/** A timestamp that carries its own offset, as pandas writes it: `2025-06-01 00:00:00+00:00`. */
export function observedAtFromOffsetTime(time: string): string | undefined {
  const match = withOffset.exec(time);
  if (match === null) return undefined;
  const zone = match[7] ?? 'Z';
  let offsetSeconds = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetSeconds = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return observedAtFromParts(match.slice(1, 7), offsetSeconds);
}

/** The one order every parser returns: by place (latitude, then longitude), then by time. */
export function byPlaceThenTime(a: Reading, b: Reading): number {
  if (a.latitude !== b.latitude) return a.latitude - b.latitude;
  if (a.longitude !== b.longitude) return a.longitude - b.longitude;
  return a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0;
}

/** Every parser ends here, so no output escapes the platform's `Reading` schema; `where` locates the input. */
export function validReading(draft: Reading, where: string, code: string): Reading {
  const result = reading.safeParse(draft);
  if (!result.success) {
    throw new AppError(code, `${where}: not a valid reading: ${z.prettifyError(result.error)}`, {
      httpStatus: 422,
      cause: result.error,
    });
  }
  return result.data;
}

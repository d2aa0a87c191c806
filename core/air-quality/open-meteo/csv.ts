import { AppError } from '../../errors';
import { type Reading } from '../reading';

import {
  assign,
  byPlaceThenTime,
  checkUnit,
  observedAtFromLocal,
  observedAtFromOffsetTime,
  splitHeader,
  targetOf,
  validReading,
  type Target,
} from './columns';

/**
 * Parses the two CSV layouts the platform meets, told apart by their first line:
 * 1. Open-Meteo's own export (`format=csv`): a location block, a blank line, then one data section.
 * 2. A flat table written by pandas: `time` with an offset, `latitude`, `longitude`, optional `city`.
 * Records are one per line: neither layout puts a line break inside a quoted field.
 */

const metadataColumns = 'latitude,longitude,elevation,utc_offset_seconds,timezone,timezone_abbreviation';

const csvError = (line: number, message: string): AppError =>
  new AppError('OPEN_METEO_CSV', `line ${line}: ${message}`, { httpStatus: 422 });

/** Splits one record; pandas quotes every string, so a quoted field may hold commas and doubled quotes. */
function splitRecord(text: string, line: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (quoted && char === '"' && text.charAt(i + 1) === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  if (quoted) throw csvError(line, 'a quoted field is not closed');
  fields.push(field);
  return fields;
}

/** Open-Meteo writes `NaN` for an hour without a value; an empty cell means the same in a flat file. */
function cellValue(text: string | undefined, line: number, column: string): number | null {
  const trimmed = (text ?? '').trim();
  if (trimmed === '' || trimmed === 'NaN') return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) throw csvError(line, `${column} "${trimmed}" is not a number`);
  return value;
}

function requiredNumber(text: string | undefined, line: number, column: string): number {
  const value = cellValue(text, line, column);
  if (value === null) throw csvError(line, `${column} is missing`);
  return value;
}

/** Maps each header cell to where its values go, checking the unit when the header states one. */
function targetsOf(headers: readonly string[], line: number): (Target | undefined)[] {
  return headers.map((header) => {
    const { name, unit } = splitHeader(header);
    const target = targetOf(name);
    if (target !== undefined && unit !== undefined) checkUnit(target, unit, `line ${line}`);
    return target;
  });
}

function readRow(
  fields: readonly string[],
  headers: readonly string[],
  targets: readonly (Target | undefined)[],
  base: Omit<Reading, 'values' | 'reported'>,
  line: number,
): Reading {
  const draft: Reading = { ...base, values: {}, reported: {} };
  targets.forEach((target, k) => {
    if (target !== undefined) assign(target, cellValue(fields[k], line, headers[k] ?? ''), draft);
  });
  return validReading(draft, `line ${line}`, 'OPEN_METEO_CSV');
}

function checkWidth(fields: readonly string[], width: number, line: number, headerLine: number): void {
  if (fields.length !== width) {
    throw csvError(line, `${fields.length} fields where the header on line ${headerLine} has ${width}`);
  }
}

const isBlank = (text: string | undefined): boolean => (text ?? '').trim() === '';

/**
 * Open-Meteo's export. For several locations the export does not repeat the location block: both the one
 * location block and the data section gain a leading `location_id` column, and the data section lists one
 * location after the other under a single header (Open-Meteo's CSV writer,
 * `Sources/App/Helper/Writer/CsvWriter.swift` in github.com/open-meteo/open-meteo). Ids count from 0 in
 * current versions and from 1 in older ones, so they are matched as text, never as positions.
 */
function parseExport(lines: readonly string[], multiLocation: boolean): Reading[] {
  const idWidth = multiLocation ? 1 : 0;
  const places = new Map<string, { latitude: number; longitude: number; utcOffsetSeconds: number }>();
  let i = 1;
  for (; i < lines.length && !isBlank(lines[i]); i++) {
    const fields = splitRecord(lines[i] ?? '', i + 1);
    checkWidth(fields, idWidth + 6, i + 1, 1);
    const [latitude, longitude, , utcOffset] = fields.slice(idWidth);
    places.set(multiLocation ? (fields[0] ?? '') : '', {
      latitude: requiredNumber(latitude, i + 1, 'latitude'),
      longitude: requiredNumber(longitude, i + 1, 'longitude'),
      utcOffsetSeconds: requiredNumber(utcOffset, i + 1, 'utc_offset_seconds'),
    });
  }
  if (places.size === 0) throw csvError(2, 'the location block has no location');
  while (i < lines.length && isBlank(lines[i])) i++;

  const headerLine = i + 1;
  const headers = splitRecord(lines[i] ?? '', headerLine);
  const leading = multiLocation ? ['location_id', 'time'] : ['time'];
  if (leading.some((name, k) => headers[k] !== name)) {
    throw csvError(headerLine, `the data section must start with ${leading.join(',')}`);
  }
  const targets = targetsOf(headers, headerLine).map((target, k) => (k < leading.length ? undefined : target));

  const readings: Reading[] = [];
  for (i++; i < lines.length; i++) {
    const line = i + 1;
    if (isBlank(lines[i])) {
      const next = lines.findIndex((text, k) => k > i && !isBlank(text));
      // Only hourly data is ingested; a current or daily section means the export was asked for more.
      if (next !== -1) throw csvError(next + 1, 'a second data section is not supported; export hourly data only');
      break;
    }
    const fields = splitRecord(lines[i] ?? '', line);
    checkWidth(fields, headers.length, line, headerLine);
    const id = multiLocation ? (fields[0] ?? '') : '';
    const place = places.get(id);
    if (place === undefined) throw csvError(line, `location_id ${id} is not in the location block`);
    const time = fields[idWidth] ?? '';
    const observedAt = observedAtFromLocal(time, place.utcOffsetSeconds);
    if (observedAt === undefined) throw csvError(line, `time "${time}" is not the start of an hour (YYYY-MM-DDTHH:MM)`);
    const base = { latitude: place.latitude, longitude: place.longitude, observedAt };
    readings.push(readRow(fields, headers, targets, base, line));
  }
  return readings;
}

/** The flat layout: every row names its place, and `time` carries its own UTC offset. */
function parseFlat(lines: readonly string[], headers: readonly string[]): Reading[] {
  const column = (name: string): number => headers.indexOf(name);
  const [time, latitude, longitude, city] = ['time', 'latitude', 'longitude', 'city'].map(column);
  const targets = targetsOf(headers, 1);

  const readings: Reading[] = [];
  lines.forEach((text, i) => {
    const line = i + 1;
    if (i === 0 || isBlank(text)) return;
    const fields = splitRecord(text, line);
    checkWidth(fields, headers.length, line, 1);
    const cell = (k: number | undefined): string => (k === undefined || k < 0 ? '' : (fields[k] ?? ''));
    const observedAt = observedAtFromOffsetTime(cell(time).trim());
    if (observedAt === undefined) {
      throw csvError(line, `time "${cell(time)}" is not the start of an hour with a UTC offset`);
    }
    const place = cell(city).trim();
    const base = {
      latitude: requiredNumber(cell(latitude), line, 'latitude'),
      longitude: requiredNumber(cell(longitude), line, 'longitude'),
      ...(place === '' ? {} : { place }),
      observedAt,
    };
    readings.push(readRow(fields, headers, targets, base, line));
  });
  return readings;
}

/** Every row of either CSV layout, ordered by place then time. */
export function parseOpenMeteoCsv(text: string): Reading[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headers = splitRecord(lines[0] ?? '', 1);
  const first = headers.join(',');
  let readings: Reading[];
  if (first === metadataColumns || first === `location_id,${metadataColumns}`) {
    readings = parseExport(lines, first !== metadataColumns);
  } else if (['time', 'latitude', 'longitude'].every((name) => headers.includes(name))) {
    readings = parseFlat(lines, headers);
  } else {
    // An export made with `location_information=omit` lands here too: without it, rows have no place.
    throw csvError(
      1,
      'neither an Open-Meteo CSV export with its location block nor a flat CSV with time, latitude and longitude columns',
    );
  }
  return readings.sort(byPlaceThenTime);
}

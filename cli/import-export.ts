import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type pg from 'pg';

import { addLocation, listLocations } from '../adapters/postgres/locations';
import { storeRawPayloads } from '../adapters/postgres/raw-payloads';
import { storeReadings } from '../adapters/postgres/readings-store';
import { indicesForPlace } from '../core/air-quality/indices';
import { parseOpenMeteoCsv } from '../core/air-quality/open-meteo/csv';
import { groupPlaces } from '../core/air-quality/open-meteo/places';
import { AppError } from '../core/errors';
import { assignExportPlaces, type AssignOptions } from '../core/locations/export-places';

/** The `source` of imported rows and payloads: Open-Meteo data that arrived as a file, not a request. */
export const exportSource = 'open-meteo-export';

export interface ImportedPlace {
  locationId: string;
  created: boolean;
  rows: number;
  written: number;
  unchanged: number;
  from: string;
  to: string;
}

/**
 * Loads an Open-Meteo CSV export (either layout the parser knows) the way a backfill stores a fetch: the
 * file kept as a raw payload, every index computed with its method, COPY + upsert. Everything is
 * validated first (each line, each place matched to a location), so a bad file writes nothing; the upsert
 * leaves identical rows alone, so importing the same file again writes nothing.
 */
export async function importExport(
  pool: pg.Pool,
  file: string,
  options: AssignOptions & { actor: string },
): Promise<ImportedPlace[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('IMPORT_REFUSED', `cannot read ${file}: ${(err as Error).message}`, { httpStatus: 400 });
  }
  const name = path.basename(file);
  const places = groupPlaces(parseOpenMeteoCsv(text));
  const assignments = assignExportPlaces(places, await listLocations(pool), options);

  const sha256 = createHash('sha256').update(text).digest('hex');
  const runId = `import-${sha256.slice(0, 16)}`;
  const results: ImportedPlace[] = [];
  for (const { create } of assignments) {
    if (create) await addLocation(pool, create, { actor: options.actor });
  }
  await storeRawPayloads(pool, [{ requestId: `file:${sha256}`, url: `file:${name}`, body: text }], {
    source: exportSource,
    runId,
    fetchedAt: new Date().toISOString(),
  });
  for (const { place, locationId, create } of assignments) {
    const hours = [...place.hours.values()];
    const indices = indicesForPlace(hours);
    const stored = await storeReadings(
      pool,
      hours.map((reading, i) => ({ locationId, reading, indices: indices[i] ?? [] })),
      { source: exportSource, runId },
    );
    results.push({
      locationId,
      created: create !== undefined,
      rows: hours.length,
      written: stored.written,
      unchanged: stored.unchanged,
      from: hours[0]?.observedAt ?? '',
      to: hours.at(-1)?.observedAt ?? '',
    });
  }
  return results;
}

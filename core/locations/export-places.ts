import { gridCell, nearestPlaceDegrees, type ExportPlace } from '../air-quality/open-meteo/places';
import { AppError } from '../errors';

import { newLocation, type Location, type NewLocation } from './location';

/** Which registered location each place of an export goes to, and the location to create first, if any. */
export interface ExportAssignment {
  place: ExportPlace;
  locationId: string;
  create?: NewLocation;
}

export interface AssignOptions {
  /** Put the export (one place) under this location id. */
  locationId?: string;
  /** Register `locationId` at the export's coordinates when it does not exist. */
  create?: boolean;
  /** The name of the created location; defaults to the export's place name, else the id. */
  name?: string;
}

const refuse = (message: string) => new AppError('IMPORT_REFUSED', message, { httpStatus: 400 });
const at = (place: ExportPlace) => `(${gridCell(place).latitude}, ${gridCell(place).longitude})`;
const describe = (place: ExportPlace) => `${place.name ?? 'a place'} at ${at(place)}, ${place.hours.size} hours`;

/**
 * Ties each place of an export to a registered location: the one named by `locationId` (a single-place
 * export), else the nearest registered location within 0.25° (~25 km) of the export's grid cell, the
 * replay server's rule. Anything unmatched is refused before a row is written, saying how to import it.
 */
export function assignExportPlaces(
  places: readonly ExportPlace[],
  registered: readonly Location[],
  options: AssignOptions = {},
): ExportAssignment[] {
  if (places.length === 0) throw refuse('the file holds no readings');
  const { locationId } = options;
  if (locationId !== undefined) {
    const [place] = places;
    if (places.length > 1 || place === undefined) {
      throw refuse(
        `the file holds ${places.length} places (${places.map(describe).join('; ')}); --location puts one place ` +
          'under an id: leave it out to match each place to its registered location',
      );
    }
    if (registered.some((l) => l.id === locationId)) return [{ place, locationId }];
    if (!options.create) {
      throw refuse(
        `no location "${locationId}": add --create to register it at the export's coordinates ${at(place)}, ` +
          'or airq locations add it first',
      );
    }
    const parsed = newLocation.safeParse({
      id: locationId,
      name: options.name ?? place.name ?? locationId,
      ...gridCell(place),
    });
    if (!parsed.success) {
      throw refuse(
        `cannot create "${locationId}": ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`,
      );
    }
    return [{ place, locationId, create: parsed.data }];
  }
  return places.map((place) => {
    const cell = gridCell(place);
    const distance = (l: Location) => Math.hypot(l.latitude - cell.latitude, l.longitude - cell.longitude);
    const nearest = [...registered].sort((a, b) => distance(a) - distance(b))[0];
    const match = nearest && distance(nearest) <= nearestPlaceDegrees ? nearest : undefined;
    if (!match) {
      throw refuse(
        `no registered location near ${describe(place)}: import it with --location <new id> --create ` +
          '(one place per file), or airq locations add it first',
      );
    }
    return { place, locationId: match.id };
  });
}

import { groupPlaces } from '../air-quality/open-meteo/places';
import type { Reading } from '../air-quality/reading';
import { AppError } from '../errors';

import { assignExportPlaces } from './export-places';

const hour = (i: number) => new Date(Date.UTC(2024, 0, 1, i)).toISOString().replace('.000Z', 'Z');
const readingsAt = (latitude: number, longitude: number, hours: number, place?: string): Reading[] =>
  Array.from({ length: hours }, (_, i) => ({
    latitude,
    longitude,
    ...(place ? { place } : {}),
    observedAt: hour(i),
    values: { pm2_5: 10 + i },
    reported: {},
  }));
const registered = [
  { id: 'lyon', name: 'Lyon', latitude: 45.764, longitude: 4.8357 },
  { id: 'paris', name: 'Paris', latitude: 48.8566, longitude: 2.3522 },
];
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no refusal';
};

describe('assigning the places of an export to locations', () => {
  it('when an export holds two cities near registered ones, then each goes to its nearest location', () => {
    const places = groupPlaces([...readingsAt(45.7, 4.8, 3), ...readingsAt(48.85, 2.35, 2, 'Paris')]);

    const assigned = assignExportPlaces(places, registered);

    expect(assigned.map((a) => [a.locationId, a.place.hours.size, a.create])).toEqual([
      ['lyon', 3, undefined],
      ['paris', 2, undefined],
    ]);
  });

  it('when a place is far from every location, then the import is refused saying how to create one', () => {
    const places = groupPlaces(readingsAt(52.52, 13.41, 2, 'Berlin'));

    expect(refusal(() => assignExportPlaces(places, registered))).toMatch(
      /^IMPORT_REFUSED: no registered location near Berlin at \(52.52, 13.41\), 2 hours: import it with --location <new id> --create/,
    );
  });

  it('when --location names a new id with --create, then it is created at the export grid cell with the place name', () => {
    const places = groupPlaces(readingsAt(52.52, 13.41, 2, 'Berlin'));

    const [assigned] = assignExportPlaces(places, registered, { locationId: 'berlin', create: true });

    expect(assigned?.create).toEqual({ id: 'berlin', name: 'Berlin', latitude: 52.52, longitude: 13.41 });
  });

  it('when --location names a new id without --create, or the file holds two places, then it is refused', () => {
    const one = groupPlaces(readingsAt(52.52, 13.41, 2));
    const two = groupPlaces([...readingsAt(45.7, 4.8, 1), ...readingsAt(48.85, 2.35, 1)]);

    expect(refusal(() => assignExportPlaces(one, registered, { locationId: 'berlin' }))).toContain(
      'no location "berlin": add --create',
    );
    expect(refusal(() => assignExportPlaces(two, registered, { locationId: 'lyon' }))).toContain(
      'the file holds 2 places',
    );
    expect(refusal(() => assignExportPlaces([], registered))).toContain('the file holds no readings');
  });
});

import type { Reading } from '../reading';

/**
 * Readings of one place gathered from one or more exports. Open-Meteo answers with its grid cell's
 * coordinates, and different exports of one city carry slightly different ones (the Lyon export's cell
 * (45.7, 4.8), the 3-city file's (45.764, 4.8357)): coordinates within `samePlaceDegrees` of each other, in
 * latitude and in longitude, are one place.
 */
export interface ExportPlace {
  /** The source's name for the place (e.g. the `city` column), when one of its readings has it. */
  name?: string;
  /** The coordinate holding the most hours first (the place's grid cell), then the others merged into it. */
  coordinates: { latitude: number; longitude: number }[];
  /** One reading per hour (epoch ms), in hour order; on conflict the larger group's values win. */
  hours: Map<number, Reading>;
}

export const samePlaceDegrees = 0.1;
/** A request maps to the nearest place within this many degrees (~25 km), as a grid cell would. */
export const nearestPlaceDegrees = 0.25;

export function groupPlaces(readings: readonly Reading[]): ExportPlace[] {
  const byCoordinate = new Map<string, Reading[]>();
  for (const r of readings) {
    const key = `${r.latitude},${r.longitude}`;
    const group = byCoordinate.get(key);
    if (group) group.push(r);
    else byCoordinate.set(key, [r]);
  }
  const places: ExportPlace[] = [];
  // Largest first: a place answers with the coordinate holding the most hours, and keeps its values on conflict.
  for (const group of [...byCoordinate.values()].sort((a, b) => b.length - a.length)) {
    const [{ latitude, longitude, place: name } = { latitude: NaN, longitude: NaN }] = group;
    const near = (c: ExportPlace['coordinates'][number]) =>
      Math.abs(c.latitude - latitude) <= samePlaceDegrees && Math.abs(c.longitude - longitude) <= samePlaceDegrees;
    let place = places.find((p) => p.coordinates.some(near));
    if (!place) places.push((place = { coordinates: [], hours: new Map() }));
    place.coordinates.push({ latitude, longitude });
    place.name ??= name;
    for (const r of group) {
      const hour = Date.parse(r.observedAt);
      const held = place.hours.get(hour);
      const values = { ...r.values, ...held?.values };
      place.hours.set(hour, { ...r, values, reported: { ...r.reported, ...held?.reported } });
    }
  }
  for (const place of places) place.hours = new Map([...place.hours].sort(([a], [b]) => a - b));
  return places;
}

/** The grid cell a place answers with. */
export const gridCell = (place: ExportPlace) => place.coordinates[0] ?? { latitude: NaN, longitude: NaN };

/** Contiguous runs of held hours, as [first, last] epoch ms. */
export function hourSpans(place: ExportPlace): [number, number][] {
  const spans: [number, number][] = [];
  for (const hour of place.hours.keys()) {
    const last = spans.at(-1);
    if (last && hour === last[1] + 3_600_000) last[1] = hour;
    else spans.push([hour, hour]);
  }
  return spans;
}

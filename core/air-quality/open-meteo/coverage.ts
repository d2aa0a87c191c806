import { z } from 'zod';

import { nearestPlaceDegrees } from './places';

/**
 * What an offline source (the replay server over CSV exports) holds, as its `/health` describes it, and
 * whether a backfill's locations and hours lie inside it. Checked before anything is fetched, so a place the
 * exports do not cover fails the run at once, with what the source does hold and how to go live instead.
 */
export const heldPlace = z.object({
  name: z.string().optional(),
  latitude: z.number(),
  longitude: z.number(),
  ranges: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type HeldPlace = z.infer<typeof heldPlace>;

export interface PlaceToCover {
  id: string;
  latitude: number;
  longitude: number;
}

const minuteOf = (iso: string) => iso.slice(0, 16);

/** The place the replay server would answer for these coordinates (its nearest-within-0.25° rule). */
export function heldPlaceFor(held: readonly HeldPlace[], at: { latitude: number; longitude: number }) {
  const distance = (p: HeldPlace) => Math.hypot(p.latitude - at.latitude, p.longitude - at.longitude);
  const nearest = [...held].sort((a, b) => distance(a) - distance(b))[0];
  return nearest !== undefined && distance(nearest) <= nearestPlaceDegrees ? nearest : undefined;
}

/** The locations whose [from, to] (inclusive hours, ISO) the held places do not cover, each with the reason. */
export function uncoveredLocations(
  held: readonly HeldPlace[],
  locations: readonly PlaceToCover[],
  from: string,
  to: string,
): { location: PlaceToCover; reason: string }[] {
  const [start, end] = [minuteOf(from), minuteOf(to)];
  return locations.flatMap((location) => {
    const place = heldPlaceFor(held, location);
    const where = `${location.id} (${location.latitude}, ${location.longitude})`;
    if (!place) return [{ location, reason: `no export holds a place near ${where}` }];
    if (place.ranges.some((r) => r.from <= start && end <= r.to)) return [];
    return [{ location, reason: `the export near ${where} does not hold all of ${start}..${end}` }];
  });
}

export function describeHeldPlaces(held: readonly HeldPlace[]): string {
  return held
    .map(
      (p) =>
        `${p.name ?? '(unnamed)'} (${p.latitude}, ${p.longitude}) ${p.ranges.map((r) => `${r.from}..${r.to}`).join(', ')}`,
    )
    .join('; ');
}

/** The whole refusal: what is missing, what the source holds, and the two ways forward. */
export function notCoveredMessage(
  held: readonly HeldPlace[],
  missing: readonly { reason: string }[],
  dataDirHint = 'REPLAY_DATA_DIR',
): string {
  return (
    `The replay source cannot serve this run: ${missing.map((m) => m.reason).join('; ')}. ` +
    `It holds: ${describeHeldPlaces(held)}. ` +
    `Fetch from the live Open-Meteo API with AQI_SOURCE=open-meteo, or add an export of the place to ` +
    `${dataDirHint} (or load one with airq import <file.csv>).`
  );
}

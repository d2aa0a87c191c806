import { z } from 'zod';

import { locationId } from '../air-quality/messages';
import { notBlank, textOfAtMost } from '../validation';

/**
 * A place the platform ingests, forecasts and checks: data, not code. Ids are lower-case slugs (they go
 * into workflow ids, Kafka keys and URLs); coordinates are WGS 84 degrees, what Open-Meteo is asked for.
 */
export const newLocation = z.strictObject({
  id: locationId.max(64, 'at most 64 characters'),
  // Checked as sent, then stored trimmed: the limits are the document's (maxLength, a non-blank pattern, one
  // line without control characters, which PostgreSQL text cannot always hold: NUL).
  name: textOfAtMost(200)
    .regex(notBlank, 'a name such as "Berlin"')
    // eslint-disable-next-line no-control-regex -- the control characters are what the rule refuses
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'one line of text, without control characters')
    .trim(),
  latitude: z.number().finite().min(-90, 'from -90 to 90').max(90, 'from -90 to 90'),
  longitude: z.number().finite().min(-180, 'from -180 to 180').max(180, 'from -180 to 180'),
});
export type NewLocation = z.infer<typeof newLocation>;

export interface Location extends NewLocation {
  createdAt?: string;
}

/**
 * Two places closer than this are probably one: Open-Meteo's European grid is ~11 km, so both would get
 * the same data, and a typo'd second id for the same city would split its history in two.
 */
export const samePlaceKm = 1;

const earthRadiusKm = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance (haversine) between two points, in kilometres. */
export function distanceKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The registered place nearest to `candidate` within `samePlaceKm`, if any. */
export function placeTooClose<T extends { latitude: number; longitude: number }>(
  existing: readonly T[],
  candidate: { latitude: number; longitude: number },
): { location: T; km: number } | undefined {
  return existing
    .map((location) => ({ location, km: distanceKm(location, candidate) }))
    .filter((near) => near.km < samePlaceKm)
    .sort((a, b) => a.km - b.km)[0];
}

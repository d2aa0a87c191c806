import { distanceKm } from '../../locations/location';

import type { RandomStream } from './random';

/**
 * Where the simulated sensors stand: spread over the given locations in turn (sensor 1 at the first,
 * sensor 2 at the second, …), each uniformly within `radiusKm` of its location (uniform over the disc's
 * area, not its radius), so every location gets a neighbourhood of sensors a neighbour check can compare.
 */

export interface PlacementSite {
  locationId: string;
  latitude: number;
  longitude: number;
}

export interface SensorPlacement {
  sensorId: string;
  lat: number;
  lon: number;
  /** The site it was placed around. */
  siteId: string;
  /** The nearest of all sites, and how far it is: the location whose data the sensor is compared with. */
  nearestLocationId: string;
  distanceKm: number;
}

const kmPerDegreeLatitude = 111.32;

/** `CAP_001`, `CAP_002`, …: three digits at least, more when there are more sensors. */
export function sensorIdOf(prefix: string, index: number, count: number): string {
  return `${prefix}_${String(index + 1).padStart(Math.max(3, String(count).length), '0')}`;
}

const round5 = (degrees: number) => Math.round(degrees * 1e5) / 1e5; // ~1 m, as a GPS fix

export function placeSensor(site: PlacementSite, sensorId: string, radiusKm: number, random: RandomStream) {
  const distance = radiusKm * Math.sqrt(random.float());
  const bearing = 2 * Math.PI * random.float();
  const lat = round5(site.latitude + (distance / kmPerDegreeLatitude) * Math.cos(bearing));
  const lon = round5(
    site.longitude + (distance / (kmPerDegreeLatitude * Math.cos((site.latitude * Math.PI) / 180))) * Math.sin(bearing),
  );
  return { sensorId, lat, lon, siteId: site.locationId };
}

export function nearestSite(
  sites: readonly PlacementSite[],
  point: { lat: number; lon: number },
): { locationId: string; distanceKm: number } {
  let best = { locationId: '', distanceKm: Infinity };
  for (const site of sites) {
    const km = distanceKm(site, { latitude: point.lat, longitude: point.lon });
    if (km < best.distanceKm) best = { locationId: site.locationId, distanceKm: km };
  }
  return best;
}

/** Places `count` sensors; `randomFor(sensorId)` gives each sensor its own stream. */
export function placeSensors(
  sites: readonly PlacementSite[],
  options: { count: number; prefix: string; radiusKm: number },
  randomFor: (sensorId: string) => RandomStream,
): SensorPlacement[] {
  return Array.from({ length: options.count }, (_, i) => {
    const site = sites[i % sites.length] as PlacementSite;
    const sensorId = sensorIdOf(options.prefix, i, options.count);
    const placed = placeSensor(site, sensorId, options.radiusKm, randomFor(sensorId));
    const nearest = nearestSite(sites, placed);
    return {
      ...placed,
      nearestLocationId: nearest.locationId,
      distanceKm: Math.round(nearest.distanceKm * 1000) / 1000,
    };
  });
}

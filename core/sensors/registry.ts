import { distanceKm } from '../locations/location';

/**
 * The sensor registry's rules, shared by the detector (which registers sensors as it first sees them) and
 * the API and CLI (which show and retire them).
 */

export const sensorStatuses = ['active', 'retired'] as const;
export type SensorStatus = (typeof sensorStatuses)[number];

/** A sensor further than this from every platform location has no reference to be compared with. */
export const referenceRadiusKm = 25;

export interface RegisteredSensor {
  id: string;
  latitude: number;
  longitude: number;
  /** The platform location whose Open-Meteo readings are this sensor's reference; null beyond the radius. */
  nearestLocationId: string | null;
  nearestLocationKm: number | null;
  firstSeen: string;
  lastSeen: string;
  status: SensorStatus;
  statusChangedAt: string | null;
  statusChangedBy: string | null;
  statusReason: string | null;
}

/** What one accepted reading tells the registry: where the sensor is and when it was heard from. */
export interface SensorSighting {
  sensorId: string;
  latitude: number;
  longitude: number;
  observedAt: string;
}

/** The location nearest to a point within `radiusKm`, with its distance; ties go to the smaller id. */
export function nearestLocation<T extends { id: string; latitude: number; longitude: number }>(
  locations: readonly T[],
  point: { latitude: number; longitude: number },
  radiusKm = referenceRadiusKm,
): { location: T; km: number } | undefined {
  let best: { location: T; km: number } | undefined;
  for (const location of locations) {
    const km = distanceKm(location, point);
    if (km > radiusKm) continue;
    if (!best || km < best.km || (km === best.km && location.id < best.location.id)) best = { location, km };
  }
  return best;
}

/**
 * One sighting per sensor out of a batch: the latest by event time (its position wins; the earliest and
 * latest times are kept for first/last seen), so a batch writes each sensor's row once.
 */
export function latestSightings(
  sightings: readonly SensorSighting[],
): (SensorSighting & { firstObservedAt: string })[] {
  const bySensor = new Map<string, SensorSighting & { firstObservedAt: string }>();
  for (const s of sightings) {
    const known = bySensor.get(s.sensorId);
    if (!known) {
      bySensor.set(s.sensorId, { ...s, firstObservedAt: s.observedAt });
      continue;
    }
    const first = Date.parse(s.observedAt) < Date.parse(known.firstObservedAt) ? s.observedAt : known.firstObservedAt;
    bySensor.set(
      s.sensorId,
      Date.parse(s.observedAt) >= Date.parse(known.observedAt)
        ? { ...s, firstObservedAt: first }
        : { ...known, firstObservedAt: first },
    );
  }
  return [...bySensor.values()];
}

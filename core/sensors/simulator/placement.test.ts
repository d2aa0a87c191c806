import { distanceKm } from '../../locations/location';

import { placeSensors, sensorIdOf } from './placement';
import { RandomStream } from './random';

const sites = [
  { locationId: 'paris', latitude: 48.8566, longitude: 2.3522 },
  { locationId: 'lyon', latitude: 45.764, longitude: 4.8357 },
];

describe('sensor placement', () => {
  it('when sensors are numbered, then ids read CAP_001 and widen past 999', () => {
    expect(sensorIdOf('CAP', 0, 24)).toBe('CAP_001');
    expect(sensorIdOf('CAP', 1233, 1500)).toBe('CAP_1234');
    expect(sensorIdOf('CAP', 4, 1500)).toBe('CAP_0005');
  });

  it('when 20 sensors are placed around two sites, then they alternate and stay within the radius', () => {
    const placed = placeSensors(sites, { count: 20, prefix: 'CAP', radiusKm: 3 }, (id) => new RandomStream(1, [id]));

    expect(placed.map((p) => p.siteId).slice(0, 4)).toEqual(['paris', 'lyon', 'paris', 'lyon']);
    for (const sensor of placed) {
      const site = sites.find((s) => s.locationId === sensor.siteId);
      const km = site ? distanceKm(site, { latitude: sensor.lat, longitude: sensor.lon }) : Infinity;
      expect(km).toBeLessThanOrEqual(3.01);
      expect(sensor.nearestLocationId).toBe(sensor.siteId);
      expect(sensor.distanceKm).toBeCloseTo(km, 2);
    }
    expect(Math.max(...placed.map((p) => p.distanceKm))).toBeGreaterThan(1);
  });
});

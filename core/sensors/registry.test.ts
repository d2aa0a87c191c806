import { distanceKm } from '../locations/location';

import { latestSightings, nearestLocation } from './registry';

const lyon = { id: 'lyon', latitude: 45.764, longitude: 4.8357 };
const villeurbanne = { id: 'villeurbanne', latitude: 45.7719, longitude: 4.8902 };
const paris = { id: 'paris', latitude: 48.8566, longitude: 2.3522 };

describe('nearestLocation', () => {
  it('when a sensor stands between two locations, then the closer one is its reference', () => {
    const sensor = { latitude: 45.766, longitude: 4.85 };

    const nearest = nearestLocation([paris, villeurbanne, lyon], sensor);

    expect(nearest?.location.id).toBe('lyon');
    expect(nearest?.km).toBeCloseTo(distanceKm(lyon, sensor), 9);
    expect(nearest?.km).toBeLessThan(distanceKm(villeurbanne, sensor));
  });

  it('when no location is within the radius, then the sensor has no reference', () => {
    const atSea = { latitude: 43.0, longitude: 5.5 };

    expect(nearestLocation([lyon, paris], atSea)).toBeUndefined();
    expect(nearestLocation([lyon, paris], atSea, 400)?.location.id).toBe('lyon');
  });
});

describe('latestSightings', () => {
  it('keeps one sighting per sensor: the latest position, the earliest and latest event times', () => {
    const sightings = [
      { sensorId: 'CAP_001', latitude: 45.7, longitude: 4.8, observedAt: '2024-01-15T14:31:00Z' },
      { sensorId: 'CAP_002', latitude: 45.8, longitude: 4.9, observedAt: '2024-01-15T14:30:00Z' },
      { sensorId: 'CAP_001', latitude: 45.71, longitude: 4.81, observedAt: '2024-01-15T14:32:00Z' },
      { sensorId: 'CAP_001', latitude: 45.69, longitude: 4.79, observedAt: '2024-01-15T14:29:00Z' },
    ];

    const latest = latestSightings(sightings);

    expect(latest).toEqual([
      {
        sensorId: 'CAP_001',
        latitude: 45.71,
        longitude: 4.81,
        observedAt: '2024-01-15T14:32:00Z',
        firstObservedAt: '2024-01-15T14:29:00Z',
      },
      { ...sightings[1], firstObservedAt: '2024-01-15T14:30:00Z' },
    ]);
  });
});

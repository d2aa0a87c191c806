import { distanceKm, newLocation, placeTooClose } from './location';

describe('locations', () => {
  it('when Paris and Lyon are measured, then the haversine distance is the known ~392 km', () => {
    const km = distanceKm({ latitude: 48.8566, longitude: 2.3522 }, { latitude: 45.764, longitude: 4.8357 });

    expect(km).toBeGreaterThan(390);
    expect(km).toBeLessThan(393);
  });

  it('when a place is 500 m from a registered one, then it is reported as the same place; 2 km away it is not', () => {
    const lyon = { id: 'lyon', latitude: 45.764, longitude: 4.8357 };
    const near = placeTooClose([lyon], { latitude: 45.7685, longitude: 4.8357 });

    expect(near?.location.id).toBe('lyon');
    expect(near?.km).toBeCloseTo(0.5, 1);
    expect(placeTooClose([lyon], { latitude: 45.782, longitude: 4.8357 })).toBeUndefined();
  });

  it('when an id has capitals or spaces, or coordinates are out of range, then each bad field is named', () => {
    const parsed = newLocation.safeParse({ id: 'New York', name: '', latitude: 91, longitude: -181 });

    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['id', 'latitude', 'longitude', 'name']);
  });

  it('when Berlin is described correctly, then it parses, with its name trimmed', () => {
    expect(newLocation.parse({ id: 'berlin', name: ' Berlin ', latitude: 52.52, longitude: 13.405 })).toEqual({
      id: 'berlin',
      name: 'Berlin',
      latitude: 52.52,
      longitude: 13.405,
    });
  });
});

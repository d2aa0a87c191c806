import { notCoveredMessage, uncoveredLocations, type HeldPlace } from './coverage';

const held: HeldPlace[] = [
  {
    name: undefined,
    latitude: 45.7,
    longitude: 4.800001,
    ranges: [{ from: '2024-01-01T00:00', to: '2024-12-31T23:00' }],
  },
  {
    name: 'Paris',
    latitude: 48.8566,
    longitude: 2.3522,
    ranges: [{ from: '2025-06-01T00:00', to: '2025-06-02T23:00' }],
  },
];
const lyon = { id: 'lyon', latitude: 45.764, longitude: 4.8357 };
const berlin = { id: 'berlin', latitude: 52.52, longitude: 13.405 };

describe('replay source coverage', () => {
  it('when a location is near a held place and the window inside its range, then nothing is missing', () => {
    expect(uncoveredLocations(held, [lyon], '2024-03-01T00:00:00Z', '2024-03-31T23:00:00Z')).toEqual([]);
  });

  it('when the window leaves the range or the place is far from every export, then each is named', () => {
    const missing = uncoveredLocations(held, [lyon, berlin], '2024-12-31T00:00:00Z', '2025-01-01T05:00:00Z');

    expect(missing.map((m) => m.reason)).toEqual([
      'the export near lyon (45.764, 4.8357) does not hold all of 2024-12-31T00:00..2025-01-01T05:00',
      'no export holds a place near berlin (52.52, 13.405)',
    ]);
  });

  it('when the refusal is written, then it lists every held place with its ranges and says how to go live', () => {
    const message = notCoveredMessage(held, [{ reason: 'no export holds a place near berlin (52.52, 13.405)' }]);

    expect(message).toContain('(unnamed) (45.7, 4.800001) 2024-01-01T00:00..2024-12-31T23:00');
    expect(message).toContain('Paris (48.8566, 2.3522) 2025-06-01T00:00..2025-06-02T23:00');
    expect(message).toContain('AQI_SOURCE=open-meteo');
  });
});

import type { ReferenceSeries } from '../../core/sensors/simulator/reference';

/**
 * Small synthetic reference series for simulator tests: a smooth daily cycle (so interpolation, noise and
 * faults are easy to tell apart) at made-up places, starting 2024-01-01T00:00Z.
 */
export const firstHour = Date.UTC(2024, 0, 1);

export function syntheticReference(
  locationId: string,
  options: { latitude?: number; longitude?: number; days?: number; level?: number; withO3?: boolean } = {},
): ReferenceSeries {
  const hours = (options.days ?? 3) * 24 + 1;
  const level = options.level ?? 10;
  const cycle = (h: number, base: number) => base * (1 + 0.5 * Math.sin((2 * Math.PI * h) / 24));
  const column = (base: number) => Array.from({ length: hours }, (_, h) => cycle(h, base));
  return {
    locationId,
    latitude: options.latitude ?? 45.75,
    longitude: options.longitude ?? 4.85,
    firstHourMs: firstHour,
    hours,
    values: {
      pm2_5: column(level),
      pm10: column(level * 1.6),
      no2: column(level * 2),
      ...(options.withO3 ? { o3: column(level * 5) } : {}),
    },
    derived: {},
  };
}

import { europeanAqi } from '../air-quality/european-aqi';
import { formatObservedAt, type Reading } from '../air-quality/reading';
import { toHourlySeries } from '../air-quality/series';

import { hourMs, type LocationSeries } from './dataset';

/**
 * A plausible, fully deterministic location series for tests: daily cycles plus seeded noise for the five
 * model inputs, and a reported index that is the platform's pre-2026 EAQI rounded to whole numbers, as the
 * Open-Meteo export reports it (null for the first 24 hours, which lack a PM mean).
 */
export function syntheticSeries(
  locationId: string,
  hours: number,
  options: { start?: string; seed?: number } = {},
): LocationSeries {
  const start = Date.parse(options.start ?? '2024-01-01T00:00:00Z');
  let state = options.seed ?? 1;
  const noise = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  let episode = 0;
  const readings: Reading[] = Array.from({ length: hours }, (_, h) => {
    const hourOfDay = h % 24;
    const daily = Math.sin((2 * Math.PI * (hourOfDay - 8)) / 24);
    episode = 0.95 * episode + 4 * noise(); // slow pollution episodes
    const pm2_5 = Math.max(1, 12 + 5 * daily + Math.abs(episode) * 3 + 2 * noise());
    const daylight = hourOfDay >= 7 && hourOfDay <= 17;
    return {
      latitude: 45.7,
      longitude: 4.8,
      observedAt: formatObservedAt(start + h * hourMs),
      values: {
        pm2_5: round1(pm2_5),
        pm10: round1(1.5 * pm2_5 + 3 + 2 * noise()),
        carbon_monoxide: round1(200 + 8 * pm2_5 + 20 * noise()),
        sulphur_dioxide: round1(Math.max(0.1, 2 + noise())),
        uv_index: daylight ? round1(5 * Math.sin((Math.PI * (hourOfDay - 6)) / 12)) : 0,
      },
      reported: {},
    };
  });
  const index = europeanAqi(toHourlySeries(readings), 'eaqi-open-meteo-pre-2026-08');
  readings.forEach((r, i) => {
    const hour = index[i];
    // Without a PM mean the platform's index would be SO2's alone; the source reports nothing then.
    r.reported.european_aqi = hour?.subIndices.pm2_5 === undefined ? null : Math.round(hour.value);
  });
  return { locationId, readings };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

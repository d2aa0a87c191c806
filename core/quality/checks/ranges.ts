import type { MeasuredVariable } from '../../air-quality/reading';
import type { QualityContext } from '../context';
import { ViolationLog, type QualityCheck } from '../report';

/**
 * Physical bounds of the seed project's validation: a value outside them is a unit mix-up or a broken
 * sensor, never weather. Units are the Open-Meteo ones (µg/m³; UV and the index are dimensionless). These are
 * facts about the world, not tuning, so they are not among the overridable thresholds.
 */
export const physicalBounds: Readonly<Partial<Record<MeasuredVariable | 'european_aqi', readonly [number, number]>>> = {
  european_aqi: [0, 500],
  pm2_5: [0, 500],
  pm10: [0, 600],
  carbon_monoxide: [0, 10_000],
  sulphur_dioxide: [0, 2_000],
  uv_index: [0, 15],
};

/** Every variable without listed bounds is still a concentration, a count or an index: never negative. */
const defaultBounds: readonly [number, number] = [0, Number.POSITIVE_INFINITY];

export function checkRanges(context: QualityContext): QualityCheck {
  const log = new ViolationLog();
  for (const row of context.rows) {
    const cells: [string, number | null | undefined][] = [
      ...Object.entries(row.values),
      ['european_aqi', row.reportedEuropeanAqi],
    ];
    for (const [variable, value] of cells) {
      if (value === null || value === undefined) continue;
      const [min, max] = physicalBounds[variable as keyof typeof physicalBounds] ?? defaultBounds;
      if (value < min || value > max) {
        log.add({ locationId: row.locationId, observedAt: row.observedAt, variable, value });
      }
    }
  }

  const bounds = Object.entries(physicalBounds)
    .map(([variable, [min, max]]) => `${variable} ${min}–${max}`)
    .join(', ');
  return {
    name: 'ranges',
    status: log.count > 0 ? 'fail' : 'pass',
    detail: `${log.count} value(s) outside physical bounds (${bounds}; every other variable ≥ 0)`,
    violations: log.count,
    samples: log.samples,
  };
}

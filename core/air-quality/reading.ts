import { z } from 'zod';

/**
 * The hourly variables of the Open-Meteo Air Quality API that the platform stores, in the API's own names
 * and units: µg/m³ for gases and particles, grains/m³ for pollen, dimensionless for UV and aerosol depth.
 */
export const measuredVariables = [
  'pm10',
  'pm2_5',
  'carbon_monoxide',
  'nitrogen_dioxide',
  'sulphur_dioxide',
  'ozone',
  'ammonia',
  'dust',
  'aerosol_optical_depth',
  'uv_index',
  'uv_index_clear_sky',
  'alder_pollen',
  'birch_pollen',
  'grass_pollen',
  'mugwort_pollen',
  'olive_pollen',
  'ragweed_pollen',
] as const;
export type MeasuredVariable = (typeof measuredVariables)[number];

/** Indices the source computed itself; stored as reported, beside the platform's own computation. */
export const reportedIndices = ['european_aqi', 'us_aqi'] as const;
export type ReportedIndex = (typeof reportedIndices)[number];

const finiteOrMissing = z.number().finite().nullable();

/**
 * One hour at one place, normalized from any source (Open-Meteo JSON, its CSV export, a flat CSV, an IoT
 * sensor). `observedAt` is the start of the hour in UTC; a variable the source did not measure that hour
 * is `null` (Open-Meteo's `NaN` / `null`); a variable the source does not provide at all is absent.
 */
export const reading = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** The source's name for the place, when it has one (e.g. the `city` column). */
  place: z.string().min(1).optional(),
  observedAt: z.iso.datetime({ offset: false }),
  values: z.partialRecord(z.enum(measuredVariables), finiteOrMissing),
  reported: z.partialRecord(z.enum(reportedIndices), finiteOrMissing),
});
export type Reading = z.infer<typeof reading>;

/** The one way an hour is written: `2024-01-01T05:00:00Z` (what `observedAt` accepts, no milliseconds). */
export function formatObservedAt(instant: number | Date): string {
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

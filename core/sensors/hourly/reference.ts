import { formatObservedAt, type Reading } from '../../air-quality/reading';
import {
  openMeteoNameOf,
  referencePollutants,
  type ReferencePollutant,
  type ReferenceSeries,
} from '../simulator/reference';

/**
 * A sensor's reference is the Open-Meteo reading of its nearest location (the registry's
 * `nearest_location_id`), hour by hour, in the sensor contract's names: pm2_5 → pm2_5, pm10 → pm10,
 * no2 → nitrogen_dioxide, o3 → ozone, co → carbon_monoxide (`openMeteoNameOf`), all µg/m³.
 * Only measured values: a pollutant the location's source lacks (the bundled Lyon export has no NO2) has
 * no reference, so that sensor measurement is neither fitted nor judged for drift.
 */
export interface ReferenceHour {
  locationId: string;
  /** Start of the hour, ISO. */
  hour: string;
  values: Partial<Record<ReferencePollutant, number>>;
}

/** Stored Open-Meteo readings of one location (as `readings` holds them) as reference hours. */
export function referenceHoursFromReadings(
  locationId: string,
  readings: readonly Pick<Reading, 'observedAt' | 'values'>[],
): ReferenceHour[] {
  return readings.map((reading) => {
    const values: Partial<Record<ReferencePollutant, number>> = {};
    for (const pollutant of referencePollutants) {
      const value = reading.values[openMeteoNameOf[pollutant]];
      if (typeof value === 'number' && Number.isFinite(value)) values[pollutant] = value;
    }
    return { locationId, hour: formatObservedAt(Date.parse(reading.observedAt)), values };
  });
}

/**
 * A simulator reference series (`core/sensors/simulator/reference.ts`) as reference hours, for running the
 * rollup over a simulation (the anomaly benchmark). Derived pollutants (NO2 from CO) are included: the
 * simulated sensors breathe them too; `skipDerived` leaves them out, as the stored readings would.
 */
export function referenceHoursFromSeries(series: ReferenceSeries, options: { skipDerived?: boolean } = {}) {
  const hours: ReferenceHour[] = [];
  for (let i = 0; i < series.hours; i++) {
    const values: Partial<Record<ReferencePollutant, number>> = {};
    for (const pollutant of referencePollutants) {
      if (options.skipDerived && series.derived[pollutant] !== undefined) continue;
      const value = series.values[pollutant]?.[i];
      if (value !== undefined && Number.isFinite(value)) values[pollutant] = value;
    }
    hours.push({
      locationId: series.locationId,
      hour: formatObservedAt(series.firstHourMs + i * 3_600_000),
      values,
    });
  }
  return hours;
}

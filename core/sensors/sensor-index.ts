import { eaqiBand, eaqiSubIndex, type EaqiBand, type EaqiPollutant } from '../air-quality/european-aqi';

import type { SensorMeasurements } from './reading';

/** The method a single sensor reading can be indexed by: every pollutant hourly, no 24-hour PM mean. */
export const sensorIndexMethod = 'eaqi-eea-2024';

const pollutantOf: Readonly<Partial<Record<keyof SensorMeasurements, EaqiPollutant>>> = {
  pm2_5: 'pm2_5',
  pm10: 'pm10',
  no2: 'nitrogen_dioxide',
  o3: 'ozone',
};

/**
 * The European AQI of one sensor reading, for colouring a map marker: the highest sub-index of the
 * pollutants it carries under the EEA 2024 bands, which read each pollutant's hourly value (the pre-2026
 * method needs 24 hours of PM history that one reading does not have). A raw low-cost-sensor value, before
 * any calibration: an indication, not a measurement of the reference's quality.
 */
export function sensorEuropeanAqi(measurements: Partial<SensorMeasurements>): { value: number; band: EaqiBand } | null {
  let highest: number | undefined;
  for (const [name, pollutant] of Object.entries(pollutantOf) as [keyof SensorMeasurements, EaqiPollutant][]) {
    const concentration = measurements[name];
    if (concentration === undefined || concentration === null || concentration < 0) continue;
    const sub = eaqiSubIndex(sensorIndexMethod, pollutant, concentration);
    highest = highest === undefined ? sub : Math.max(highest, sub);
  }
  return highest === undefined ? null : { value: highest, band: eaqiBand(highest) };
}

import type { SensorMeasurementName } from '../reading';

import type { RandomStream } from './random';

/**
 * How far a low-cost sensor is from the reference, per measurement: a gain and an offset drawn once per
 * sensor (unit-to-unit spread), and noise drawn per reading (absolute plus a share of the value). The
 * ranges follow published field evaluations against reference instruments:
 * - PM2.5, optical (Plantower in PurpleAir PA-II): raw values read high, "by about 40 % in most parts of the
 *   US" (Barkjohn, Gantt & Clements 2021, AMT 14, 4617, doi:10.5194/amt-14-4617-2021), more when humid
 *   (Mathieu-Campbell et al. 2024, AMT 17, 6735): gain 1.1–1.7, a small offset.
 * - PM10, same optics: coarse particles are seen poorly, so the sensor's PM10 is its PM2.5 plus a fraction
 *   (0.3–0.9) of the reference's coarse part (PM10 − PM2.5); a sensor's PM10 then never reads below its
 *   PM2.5, as with real Plantower output.
 * - NO2, electrochemical (Alphasense B43F class): hourly uncertainty of 15–20 ppb after calibration (Bigi et
 *   al. 2018, AMT 11, 3717, doi:10.5194/amt-11-3717-2018), field R² 0.3–0.7 before temperature/humidity
 *   correction and significant drift within two months (Mijling et al. 2018, AMT 11, 1297,
 *   doi:10.5194/amt-11-1297-2018): gain 0.8–1.25, offset sd 6 µg/m³, noise 4 µg/m³ a minute.
 * - O3 and CO, electrochemical: CO is the best of them, mean relative error about −5 % (Papaconstantinou et
 *   al. 2023, AMT 16, 3313, doi:10.5194/amt-16-3313-2023); O3 behaves like NO2.
 * - Temperature and humidity (SHT/BME class inside the housing): a few tenths of °C and a few % RH off.
 * The magnitudes are for a believable demo and benchmark, not a calibration model.
 */

export interface MeasurementError {
  gain: number;
  offset: number;
  /** Noise standard deviation of one reading: `noiseAbs + noiseRel · value`. */
  noiseAbs: number;
  noiseRel: number;
}

interface ErrorRanges {
  gain: readonly [number, number];
  offsetSd: number;
  noiseAbs: number;
  noiseRel: number;
}

export const errorRanges: Readonly<Record<SensorMeasurementName, ErrorRanges>> = {
  pm2_5: { gain: [1.1, 1.7], offsetSd: 1, noiseAbs: 0.8, noiseRel: 0.04 },
  // For PM10 the gain applies to the coarse part (see above), the offset and noise to that part too.
  pm10: { gain: [0.3, 0.9], offsetSd: 1, noiseAbs: 0.8, noiseRel: 0.05 },
  no2: { gain: [0.8, 1.25], offsetSd: 6, noiseAbs: 4, noiseRel: 0.03 },
  o3: { gain: [0.8, 1.25], offsetSd: 6, noiseAbs: 4, noiseRel: 0.03 },
  co: { gain: [0.9, 1.05], offsetSd: 20, noiseAbs: 10, noiseRel: 0.02 },
  temperature: { gain: [1, 1], offsetSd: 0.5, noiseAbs: 0.1, noiseRel: 0 },
  relative_humidity: { gain: [1, 1], offsetSd: 3, noiseAbs: 0.5, noiseRel: 0 },
};

export type SensorErrors = Partial<Record<SensorMeasurementName, MeasurementError>>;

/** One sensor's errors for the measurements it reports. */
export function drawSensorErrors(measurements: readonly SensorMeasurementName[], random: RandomStream): SensorErrors {
  const errors: SensorErrors = {};
  for (const name of measurements) {
    const range = errorRanges[name];
    errors[name] = {
      gain: random.uniform(range.gain[0], range.gain[1]),
      offset: random.normal(0, range.offsetSd),
      noiseAbs: range.noiseAbs,
      noiseRel: range.noiseRel,
    };
  }
  return errors;
}

/** What the sensor reports for a true value, before keeping it physical: gain, offset, noise. */
export function sensed(trueValue: number, error: MeasurementError, random: RandomStream): number {
  const noise = random.normal(0, error.noiseAbs + error.noiseRel * Math.abs(trueValue));
  return error.gain * trueValue + error.offset + noise;
}

/**
 * A value a working sensor can report: concentrations are reflected at 0 and humidity also at 100 %
 * (|x|, not clipped). Clipping would pile up runs of exact zeros on clean air (or 100 % in fog), which a
 * flatline check rightly calls stuck; temperature is left alone.
 */
export function physical(name: SensorMeasurementName, value: number): number {
  if (name === 'temperature') return value;
  const reflected = Math.abs(value);
  return name === 'relative_humidity' ? 100 - Math.abs(100 - reflected) : reflected;
}

import type { SensorMeasurementName } from '../reading';

import { physical, sensed, type SensorErrors } from './error-model';
import type { PlanWindow } from './fault-plan';
import type { FaultEffect } from './fault-shapes';
import type { RandomStream } from './random';
import { referenceAt, type ReferencePollutant, type ReferenceSeries } from './reference';
import { airTemperature, relativeHumidity } from './weather';

/**
 * One sensor's values, reading by reading: first what a working low-cost sensor reports (the reference
 * interpolated to the reading's time, through the sensor's gain, offset and noise), then its signal faults.
 * Values are rounded to 0.01, as devices report; a flatline therefore repeats one value exactly.
 */

export type SensorSeries = Partial<Record<SensorMeasurementName, Float64Array>>;

const round2 = (value: number) => Math.round(value * 100) / 100;

function reference(series: ReferenceSeries, pollutant: ReferencePollutant, ms: number): number {
  return referenceAt(series, pollutant, ms) ?? 0;
}

/**
 * The sensor's clean readings for each measurement it has an error model for. Every reading draws the same
 * number of random values whatever happens to it later, so faults never shift the noise of other readings.
 */
export function cleanSeries(
  air: ReferenceSeries,
  errors: SensorErrors,
  window: PlanWindow,
  longitude: number,
  random: RandomStream,
): SensorSeries {
  const names = Object.keys(errors) as SensorMeasurementName[];
  const series: SensorSeries = {};
  for (const name of names) series[name] = new Float64Array(window.readings);
  for (let k = 0; k < window.readings; k++) {
    const ms = window.startMs + k * window.intervalMs;
    const pm25 = reference(air, 'pm2_5', ms);
    for (const name of names) {
      const error = errors[name];
      const values = series[name];
      if (error === undefined || values === undefined) continue;
      let value: number;
      if (name === 'pm10') {
        // The optical sensor's PM10 is its PM2.5 plus what it sees of the coarse part (error-model.ts).
        const coarse = physical('pm10', sensed(Math.max(0, reference(air, 'pm10', ms) - pm25), error, random));
        value = (series.pm2_5?.[k] ?? pm25) + coarse;
      } else if (name === 'temperature') {
        value = sensed(airTemperature(ms, longitude), error, random);
      } else if (name === 'relative_humidity') {
        value = physical(name, sensed(relativeHumidity(ms, longitude), error, random));
      } else {
        value = physical(name, sensed(reference(air, name, ms), error, random));
      }
      values[k] = round2(value);
    }
  }
  return series;
}

/**
 * Applies one value fault to readings `first..last` of `values` in place; `progress` runs over (0, 1] so the
 * first reading of a drift or a plume already differs from the clean value.
 */
export function applyValueFault(values: Float64Array, effect: FaultEffect, first: number, last: number): void {
  const count = last - first + 1;
  const held = values[Math.max(0, first - 1)] ?? 0;
  for (let k = first; k <= last; k++) {
    const clean = values[k] ?? 0;
    const progress = (k - first + 1) / count;
    let value: number;
    switch (effect.kind) {
      case 'add':
        value = clean + effect.amount;
        break;
      case 'scale':
        value = clean * effect.factor;
        break;
      case 'set':
        value = effect.value;
        break;
      case 'negate':
        value = -Math.max(1, clean);
        break;
      case 'hold':
        value = held;
        break;
      case 'drift-add':
        value = clean + effect.amount * progress;
        break;
      case 'drift-scale':
        value = clean * (1 - (1 - effect.factor) * progress);
        break;
      case 'bump':
        value = clean + (effect.amount * (1 - Math.cos(2 * Math.PI * ((k - first + 1) / (count + 1))))) / 2;
        break;
      default:
        return; // dropouts and delivery faults are applied to messages, not values
    }
    values[k] = round2(value);
  }
}

import type { FaultType } from './labels';
import type { RandomStream } from './random';
import type { ReferencePollutant } from './reference';

/**
 * What each fault does to a sensor's readings, how long it lasts and how strong it is. Magnitudes are in
 * units of a pollutant's typical level (`faultScale`), so a spike or a step is plainly a fault on ordinary
 * days and may hide in a real pollution episode, as it would in the field.
 */

export type MalformedVariant =
  'bad_json' | 'missing_timestamp' | 'missing_pm2_5' | 'wrong_type_pm2_5' | 'wrong_type_timestamp';
export const malformedVariants: readonly MalformedVariant[] = [
  'bad_json',
  'missing_timestamp',
  'missing_pm2_5',
  'wrong_type_pm2_5',
  'wrong_type_timestamp',
];

export type FaultEffect =
  /** Spike, upward step: the value plus `amount`. */
  | { kind: 'add'; amount: number }
  /** Downward step: the value times `factor`. */
  | { kind: 'scale'; factor: number }
  /** Sentinel (-999) or saturated (65535) output. */
  | { kind: 'set'; value: number }
  /** A sign error: minus the value (at least -1). */
  | { kind: 'negate' }
  /** Flatline: the last good value, repeated exactly. */
  | { kind: 'hold' }
  /** Dropout: nothing is sent. */
  | { kind: 'drop' }
  /** Drift: `amount` (or `factor`) reached at the last reading, growing linearly from the first. */
  | { kind: 'drift-add'; amount: number }
  | { kind: 'drift-scale'; factor: number }
  /** Neighbour disagreement: a local plume rising and falling smoothly (raised cosine) to `amount`. */
  | { kind: 'bump'; amount: number }
  | { kind: 'duplicate'; delayMs: number }
  | { kind: 'late'; delayMs: number }
  | { kind: 'malformed'; variant: MalformedVariant };

export interface FaultShape {
  /** Readings concerned, from the first. */
  length: number;
  /** Whether the fault concerns one pollutant (drawn when placed) or the whole sensor or message. */
  perMeasurement: boolean;
  effect: FaultEffect;
  detail: string;
}

/** A pollutant's typical level in µg/m³: the unit of fault magnitudes. */
export const faultScale: Readonly<Record<ReferencePollutant, number>> = {
  pm2_5: 20,
  pm10: 30,
  no2: 30,
  o3: 40,
  co: 300,
};

/** A value low-cost firmware sends for "no measurement". */
export const sentinelValue = -999;
/** A 16-bit counter at its ceiling: what a saturated or garbled ADC reading looks like. */
export const saturatedValue = 65535;

/** Minutes each lasting fault usually runs; spikes, out-of-range values and delivery faults are 1–5 readings. */
const typicalMinutes: Partial<Record<FaultType, readonly [number, number]>> = {
  flatline: [60, 240],
  dropout: [20, 180],
  step: [180, 720],
  drift: [1440, 2880],
  neighbour_disagreement: [120, 360],
};

export interface ShapeContext {
  intervalSeconds: number;
  allowedLatenessSeconds: number;
  /** The longest a fault may last, in readings (a share of the window, so short runs still fit faults). */
  maxLength: number;
  /** A length asked for by a schedule, in minutes. */
  minutes?: number;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function lengthOf(type: FaultType, random: RandomStream, context: ShapeContext, readings: readonly [number, number]) {
  const range = typicalMinutes[type];
  const minutes = context.minutes ?? (range === undefined ? undefined : random.uniform(range[0], range[1]));
  const length =
    minutes === undefined
      ? random.int(readings[0], readings[1])
      : Math.max(1, Math.round((minutes * 60) / context.intervalSeconds));
  return Math.min(length, Math.max(1, context.maxLength));
}

/** Draws the shape of one fault of `type`; `scale` is the typical level of the pollutant it will hit. */
export function drawShape(type: FaultType, scale: number, random: RandomStream, context: ShapeContext): FaultShape {
  const length = (readings: readonly [number, number] = [1, 1]) => lengthOf(type, random, context, readings);
  const shape = (length: number, effect: FaultEffect, detail: string, perMeasurement = true): FaultShape => ({
    length,
    perMeasurement,
    effect,
    detail,
  });
  const lateness = context.allowedLatenessSeconds * 1000;
  switch (type) {
    case 'spike': {
      const amount = scale * random.uniform(3, 6);
      return shape(length([1, 2]), { kind: 'add', amount }, `spike +${fixed(amount)}`);
    }
    case 'out_of_range': {
      const variant = random.pick(['sentinel', 'negative', 'saturated'] as const);
      if (variant === 'negative') return shape(length([1, 5]), { kind: 'negate' }, 'negative value');
      const value = variant === 'sentinel' ? sentinelValue : saturatedValue;
      return shape(length([1, 3]), { kind: 'set', value }, `${variant} ${value}`);
    }
    case 'flatline':
      return shape(length(), { kind: 'hold' }, 'stuck at the last value');
    case 'dropout':
      return shape(length(), { kind: 'drop' }, 'no readings', false);
    case 'step': {
      if (random.chance(0.5)) {
        const amount = scale * random.uniform(1, 2);
        return shape(length(), { kind: 'add', amount }, `step +${fixed(amount)}`);
      }
      const factor = random.uniform(0.2, 0.4);
      return shape(length(), { kind: 'scale', factor }, `step ×${fixed(factor, 2)}`);
    }
    case 'drift': {
      if (random.chance(0.5)) {
        const amount = scale * random.uniform(1, 2);
        return shape(length(), { kind: 'drift-add', amount }, `drift to +${fixed(amount)}`);
      }
      const factor = random.uniform(0.3, 0.5);
      return shape(length(), { kind: 'drift-scale', factor }, `drift to ×${fixed(factor, 2)}`);
    }
    case 'neighbour_disagreement': {
      const amount = scale * random.uniform(1.5, 3);
      return shape(length(), { kind: 'bump', amount }, `local plume, +${fixed(amount)} at its peak`);
    }
    case 'duplicate': {
      const delayMs = random.int(1000, Math.max(1000, Math.min(60_000, lateness / 2)));
      return shape(1, { kind: 'duplicate', delayMs }, `sent again ${fixed(delayMs / 1000)} s later`, false);
    }
    case 'late': {
      // Far enough past the allowed lateness that no reasonable watermark can take it as on time.
      const margin = Math.max(lateness / 2, 2 * context.intervalSeconds * 1000, 60_000);
      const delayMs = Math.round(lateness + margin * random.uniform(1, 3));
      return shape(1, { kind: 'late', delayMs }, `sent ${fixed(delayMs / 1000)} s after its event time`, false);
    }
    case 'malformed': {
      const variant = random.pick(malformedVariants);
      return shape(1, { kind: 'malformed', variant }, variant, false);
    }
  }
}

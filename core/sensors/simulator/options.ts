import { z } from 'zod';

import { sensorId } from '../reading';

import { faultTypes } from './labels';
import { referencePollutants } from './reference';

/**
 * What a simulation is asked for, validated at the edge (the CLI, a benchmark). Every default together is
 * the default benchmark scenario: 24 sensors, 7 days, a reading a minute, every fault type, seed 20240115.
 */

const rate = z.number().min(0).max(50);

/**
 * Faults per sensor-day, counted over the sensors that are not kept clean. The simulator injects
 * `round(rate × faulty sensors × days)` faults of each type (at least one when the rate is above zero), so
 * a mix is met exactly rather than on average and every type it names is there to be evaluated.
 */
export const faultRates = z.strictObject({
  spike: rate.default(0.25),
  out_of_range: rate.default(0.12),
  flatline: rate.default(0.08),
  dropout: rate.default(0.08),
  step: rate.default(0.05),
  drift: rate.default(0.02),
  neighbour_disagreement: rate.default(0.05),
  duplicate: rate.default(0.3),
  late: rate.default(0.15),
  malformed: rate.default(0.1),
});
export type FaultRates = z.infer<typeof faultRates>;

/** One fault placed by hand; its magnitude is still drawn from the seed. */
export const scheduledFault = z.strictObject({
  sensor_id: sensorId,
  type: z.enum(faultTypes),
  /** The pollutant at fault; drawn from the seed when absent (ignored for dropouts and delivery faults). */
  measurement: z.enum(referencePollutants).optional(),
  /** Moved to the first reading at or after it. */
  start: z.iso.datetime({ offset: true }),
  /** How long the fault lasts; each type has its own default range when absent (one reading for spikes). */
  minutes: z
    .number()
    .positive()
    .max(30 * 24 * 60)
    .optional(),
});
export type ScheduledFault = z.infer<typeof scheduledFault>;

export const faultMix = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('rates'),
    perSensorDay: faultRates.prefault({}),
    /** Sensors with no fault at all, for false alarms per clean sensor-day; at least one is always kept. */
    cleanSensorFraction: z.number().min(0).max(0.95).default(0.25),
  }),
  z.strictObject({ kind: z.literal('schedule'), faults: z.array(scheduledFault) }),
]);
export type FaultMix = z.infer<typeof faultMix>;

export const simulationOptions = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff).default(20240115),
  sensors: z.number().int().min(1).max(2000).default(24),
  days: z.number().positive().max(366).default(7),
  intervalSeconds: z.number().int().min(1).max(3600).default(60),
  /** First reading's event time; defaults to the latest first hour among the reference series. */
  start: z.iso
    .datetime({ offset: true })
    .refine((text) => Date.parse(text) % 1000 === 0, 'a whole second')
    .optional(),
  sensorIdPrefix: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,15}$/)
    .default('CAP'),
  placementRadiusKm: z.number().positive().max(50).default(3),
  /** Synthetic temperature and relative humidity in every reading. */
  weather: z.boolean().default(true),
  faults: faultMix.prefault({ kind: 'rates' }),
  spacing: z
    .strictObject({
      /** No fault in the first hours, so the detector's baselines can form. */
      warmupMinutes: z.number().min(0).default(360),
      /** Quiet time between two signal faults of one sensor (and before the end of the window). */
      minGapMinutes: z.number().min(0).default(120),
      /** Quiet time around a delivery fault. */
      deliveryGapMinutes: z.number().min(0).default(30),
    })
    .prefault({}),
  delivery: z
    .strictObject({
      /** Readings later than this (send time − event time) are late; the detector must use the same. */
      allowedLatenessSeconds: z.number().int().min(0).default(300),
      /** Share of all readings (clean sensors too) delivered out of order but within the lateness. */
      outOfOrderRate: z.number().min(0).max(0.5).default(0.02),
      minLatencyMs: z.number().int().min(0).default(200),
      maxLatencyMs: z.number().int().min(0).default(2000),
    })
    .refine((d) => d.maxLatencyMs >= d.minLatencyMs, 'maxLatencyMs must be at least minLatencyMs')
    .prefault({}),
});
export type SimulationOptions = z.infer<typeof simulationOptions>;
export type SimulationOptionsInput = z.input<typeof simulationOptions>;

/** The default benchmark scenario, every option at its default. */
export const defaultSimulationOptions: SimulationOptions = simulationOptions.parse({});

import { z } from 'zod';

import { sensorMeasurementNames, type SensorMeasurementName } from '../reading';

/** What a set of detector thresholds must be: each limit's type and range, and the rules between them. */

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const share = z.number().min(0).max(1);

/** The limits that differ per measurement (units: µg/m³ for gases and particles, °C, % RH). */
export const measurementThresholds = z.strictObject({
  /** Plausible range; outside is `out_of_range`. */
  min: z.number().finite(),
  max: z.number().finite(),
  /** Largest plausible change per minute between consecutive readings (`rate_of_change`). */
  maxChangePerMinute: positive,
  /** Smallest robust sd the spike check assumes: the sensor's noise floor / resolution (Hampel scale floor). */
  sdFloor: positive,
  /**
   * Smallest noise sd the step check assumes (its own floor, not `sdFloor`): a step must exceed `stepK`
   * times max(this, the measured noise), besides `stepMinChange`.
   */
  stepNoiseFloor: positive,
  /** A step smaller than this is never reported, however quiet the series. */
  stepMinChange: positive,
  /** Identical consecutive readings that make a `flatline`. */
  flatlineReadings: z.number().int().min(3),
  /** At or below this value a flatline needs `flatlineLowValueFactor` times as many readings (null: no such rule). */
  flatlineLowValue: z.number().finite().nullable(),
  /** Readings within this of the run's first value count as "the same" (0: exact repeats). */
  flatlineTolerance: nonNegative,
  /** A bias trend (sensor − reference, on the baseline's scale) steeper than this per day is `drift`. */
  driftPerDay: positive,
  /**
   * EPA's intercept target: a calibration whose intercept is beyond ± this is outside the targets; and an
   * offset change beyond ± this (or `biasRelative` of the reference mean, the larger) is `drift`.
   */
  biasLimit: positive,
  /** A difference from the neighbours' median under this is never `neighbour_disagreement`. */
  neighbourMinDifference: positive,
});
export type MeasurementThresholds = z.infer<typeof measurementThresholds>;

const general = {
  /** The sensors' reporting interval; the dropout rule and the rate floor are counted in it. */
  expectedIntervalSeconds: positive,
  /** A reading up to this much older than the watermark is still taken, in event-time order. */
  allowedLatenessSeconds: nonNegative,
  /** A reading this much ahead of the watermark (or of `now`, when given) is refused. */
  futureToleranceSeconds: nonNegative,
  /** Values devices send for "no value"; compared exactly. */
  sentinels: z.array(z.number().finite()),
  /** Previous readings whose MAD gives the spike check's scale (Hampel window). */
  hampelWindow: z.number().int().min(8),
  /** Previous readings whose median is the spike check's center (a short tail of the window). */
  hampelCenterReadings: z.number().int().min(3),
  /** Readings needed in the window before a spike is judged. */
  hampelMinReadings: z.number().int().min(5),
  /** Hampel k: a reading more than k robust sd from the window median is an outlier. */
  hampelK: positive,
  /** An excursion ends when a reading is back within this many robust sd. */
  hampelBackK: positive,
  /** An excursion longer than this is a level shift, not a spike. */
  spikeMaxReadings: z.number().int().min(1),
  /** The spike and step floors (`sdFloor`, `stepNoiseFloor`) are also this share of the level (noise grows with it). */
  sdFloorRelative: share,
  /** Step change: readings in each of the two windows compared. */
  stepReadings: z.number().int().min(5),
  /**
   * Step change: a change of at least this share of the larger level is reported even under the
   * measurement's `stepMinChange` (still beyond `stepK` × the noise).
   */
  stepMinRelativeChange: share,
  /** Step change: the levels must differ by more than this many robust sd (of the window before). */
  stepK: positive,
  /** Step change: readings on each side of the change point that must carry most of the change. */
  stepSharpReadings: z.number().int().min(1),
  /** Step change: the share of the jump those few readings must carry. */
  stepSharpness: share,
  /** Flatline at low values: how many times `flatlineReadings` a run must last. */
  flatlineLowValueFactor: z.number().int().min(1),
  /** Silent for more than this many expected intervals is a `dropout`. */
  dropoutIntervals: z.number().finite().gt(1),
  /** Out-of-range readings of one measurement are counted over this much event time (`repeated_out_of_range`). */
  outOfRangeRepeatSeconds: positive,
  /**
   * More than this share of the readings expected in that time out of range is a `repeated_out_of_range`
   * (the count is `floor(share × window / interval) + 1`); it closes when a window passes without one.
   */
  outOfRangeRepeatShare: z.number().gt(0).max(1),
  /** Spikes of one measurement are counted over this much event time (`frequent_spikes`). */
  frequentSpikesSeconds: positive,
  /** This many spikes within that time is `frequent_spikes`; it closes when a window passes without one. */
  frequentSpikesCount: z.number().int().min(2),
  /** An anomaly whose score reaches this is `critical`, below it `warning`. */
  criticalScore: z.number().finite().min(1),
  /** The drift trend rule fits this many days of hourly means. */
  driftDays: positive,
  /** Hourly pairs (sensor and reference) needed for a calibration, a baseline and the trend rule. */
  driftMinPairs: z.number().int().min(3),
  /** A drift trend or a ramp must explain at least this share of the variance it is fitted on (R²). */
  driftTrendMinR2: share,
  /** The ramp rule looks for a gradual change of offset or gain in this many last hours. */
  driftRampHours: z.number().int().min(12),
  /** A ramp lasts at least this many hours, and as many stay outside it for the sensor's own line. */
  driftRampMinHours: z.number().int().min(3),
  /** A ramp is gradual when it leaves at most this share of the residual sum of squares of the best step. */
  driftGradualness: z.number().gt(0).max(1),
  /** The shift rule: this share of the day's hours beyond a drift band, on one side, from the baseline. */
  driftSustainedShare: z.number().gt(0.5).max(1),
  /** A sensor's baseline calibration is fitted over its last this many days once they are stable (≥ `driftMinPairs` hours). */
  baselineDays: z.number().int().min(1).max(30),
  /** Share of the reference mean an offset change may reach (when larger than the measurement's `biasLimit`). */
  biasRelative: share,
  /** EPA's slope target: a calibration's slope must lie in this band, and a gain change beyond it is drift… */
  slopeMin: positive,
  slopeMax: positive,
  /** …EPA's linearity target (R²); below it a calibration's line is not used to correct the sensor, only its bias. */
  slopeMinR2: share,
  /**
   * An open drift anomaly closes only once the sensor is back within this share of the drift limits (the
   * trend, the bias band and the slope band's distance from 1): hysteresis, so that a sensor still off
   * does not close and reopen an incident as its window moves.
   */
  driftCloseFactor: z.number().gt(0).max(1),
  /** Neighbours are sensors within this distance. */
  neighbourRadiusKm: positive,
  /** At least this many neighbours are needed to judge disagreement. */
  neighbourMinCount: z.number().int().min(3),
  /** A sensor more than k robust sd from its neighbours' median disagrees. */
  neighbourK: positive,
  /** …and by more than this share of the median (Barkjohn's relative rule). */
  neighbourMinRelative: nonNegative,
};

const measurementsShape = Object.fromEntries(sensorMeasurementNames.map((name) => [name, measurementThresholds]));

export const detectorThresholds = z
  .strictObject({
    ...general,
    measurements: z.strictObject(measurementsShape as Record<SensorMeasurementName, typeof measurementThresholds>),
  })
  .refine((t) => t.hampelMinReadings <= t.hampelWindow, {
    message: 'hampelMinReadings must not exceed hampelWindow',
  })
  .refine((t) => t.hampelCenterReadings <= t.hampelMinReadings, {
    message: 'hampelCenterReadings must not exceed hampelMinReadings',
  })
  .refine((t) => t.hampelBackK < t.hampelK, { message: 'hampelBackK must be below hampelK' })
  .refine((t) => t.spikeMaxReadings * 2 < t.stepReadings, {
    message: 'spikeMaxReadings must be under half of stepReadings (a spike that long would move a step median)',
  })
  .refine((t) => t.stepSharpReadings * 2 <= t.stepReadings, {
    message: 'stepSharpReadings must be at most half of stepReadings',
  })
  .refine((t) => t.slopeMin < t.slopeMax, { message: 'slopeMin must be below slopeMax' })
  .refine((t) => t.slopeMin < 1 && t.slopeMax > 1, { message: 'the slope band must contain 1 (an unchanged gain)' })
  .refine((t) => 2 * t.driftRampMinHours <= t.driftRampHours, {
    message: 'driftRampHours must hold a ramp of driftRampMinHours and as many hours outside it',
  })
  .refine((t) => sensorMeasurementNames.every((name) => t.measurements[name].min < t.measurements[name].max), {
    message: 'every measurement needs min below max',
  });
export type DetectorThresholds = z.infer<typeof detectorThresholds>;

/** Any subset of the thresholds, per measurement too: what a config file or a test overrides. */
export const detectorThresholdOverrides = z
  .strictObject({
    ...Object.fromEntries(Object.entries(general).map(([key, schema]) => [key, schema.optional()])),
    measurements: z
      .strictObject(
        Object.fromEntries(sensorMeasurementNames.map((name) => [name, measurementThresholds.partial().optional()])),
      )
      .optional(),
  })
  .partial();
export type DetectorThresholdOverrides = Partial<Omit<DetectorThresholds, 'measurements'>> & {
  measurements?: Partial<Record<SensorMeasurementName, Partial<MeasurementThresholds>>>;
};

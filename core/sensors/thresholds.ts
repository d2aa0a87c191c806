import { z } from 'zod';

import { AppError } from '../errors';

import { sensorMeasurementNames, type SensorMeasurementName } from './reading';

/**
 * Every tunable limit of the sensor anomaly detector in one object, each with its default, why, and the
 * public source it follows. Sources, cited by name below:
 * - **PA-II spec / pat_qc**: the PurpleAir PA-II out-of-spec limits as applied by MazamaScience AirSensor's
 *   `pat_qc` (PM2.5 0–1000 µg/m³, RH 0–100 %, temperature −40–185 °F = −40–85 °C).
 * - **AirNow −999**: AirNow's missing-value code, which AirNow tooling (PWFSLSmoke `airnow_qualityControl`)
 *   treats as no data.
 * - **Hampel filter** (Pearson 2002, "Outliers in process modeling and identification"; Pearson et al. 2016,
 *   "Generalized Hampel filters"): |x − median| > k·1.4826·MAD over a moving window.
 * - **QARTOD** (U.S. IOOS real-time QC manuals): gross range, spike, rate of change, flat line and gap tests.
 * - **EPA screening** (EPA-450/2-78-037, "Screening Procedures for Ambient Air Quality Data", the pattern
 *   tests behind AQS screening): adjacent-value jumps, repeated values and level shifts as outlier patterns.
 * - **EPA sensortoolkit** (EPA 2021 performance targets for PM2.5 and O3 sensors, as coded in
 *   `sensortoolkit.param.ParameterTargets`): OLS slope 0.65–1.35 (O3 0.8–1.2), intercept ±5, R² ≥ 0.70 (O3 0.80).
 * - **Barkjohn et al. 2021** (AMT 14, 4617–4637, the PurpleAir QC used by EPA and sensortoolkit): two
 *   co-located PM2.5 channels disagree when they differ by more than 5 µg/m³ *and* by more than 70 %.
 * - **EU completeness** (Directive 2008/50/EC, Annex XI): a one-hour value needs 75 % of the hour's data.
 * - **AirSensor hourly QC** (MazamaScience AirSensor, `PurpleAirQC_hourly_AB_00`): an hour with fewer than 20
 *   of a PurpleAir's 30 readings (67 %) is invalid.
 * Values without a source are platform choices, said so in their line.
 */

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

/** Concentrations: never negative (electrochemical gas sensors that read slightly below 0 lower `min`). */
const concentration = (values: Omit<MeasurementThresholds, 'min'>): MeasurementThresholds => ({ min: 0, ...values });

export const defaultDetectorThresholds: DetectorThresholds = {
  /** One reading a minute, the platform's sensors' rate (platform choice). */
  expectedIntervalSeconds: 60,
  /**
   * 5 minutes: readings are checked once the watermark is 5 min past them, so flags and anomalies lag the
   * newest reading by 5 min of event time; a device retrying for longer is refused as too late (platform choice).
   */
  allowedLatenessSeconds: 300,
  /** 5 min: device clocks off by more are refused; not above the lateness, so a fast clock cannot make others late. */
  futureToleranceSeconds: 300,
  /** −999 (AirNow −999) and −9999, and 65535: a 16-bit register read as all ones (Plantower frames are 16-bit). */
  sentinels: [-999, -9999, 65535],
  /** Two hours of readings: a MAD stable enough for k = 6, still short against the diurnal cycle (Hampel filter). */
  hampelWindow: 120,
  /** The last 15 minutes: a center that keeps up with a rush-hour rise and that 7 wild readings cannot move. */
  hampelCenterReadings: 15,
  /** Half an hour of readings before judging, after a start, a dropout or a level shift (Hampel filter). */
  hampelMinReadings: 30,
  /**
   * k = 6, not the textbook 3 (Hampel filter): at ~10,000 tests per sensor-day k = 3 would raise dozens of
   * false alarms a day; 6 keeps clean data under 0.1 a day while spikes of real faults are far larger.
   */
  hampelK: 6,
  /**
   * Back within 2 robust sd ends an excursion: a level shift just past k then needs a 4-sd noise reading
   * to pass for a return (and for a spike); a true spike may keep one more reading flagged, 1 time in 20.
   */
  hampelBackK: 2,
  /** Up to 5 readings (minutes) away and back is a spike; longer is a level shift (QARTOD spike test). */
  spikeMaxReadings: 5,
  /** Low-cost PM noise grows with the level: 5 % of the median (platform choice). */
  sdFloorRelative: 0.05,
  /** 30 readings (half an hour) on each side: a median a single spike cannot move (EPA screening). */
  stepReadings: 30,
  /**
   * Half the larger level (platform choice): the simulator's multiplicative steps (×0.2–0.4) of a pollutant
   * already low, PM10 from 10 to 3 µg/m³ say, stay under the absolute `stepMinChange` but are a sensor
   * losing most of its signal at once; the ordinary changes that step-like air makes at low levels are a
   * few tens of per cent, and must still clear `stepK` × the noise and the sharpness test.
   */
  stepMinRelativeChange: 0.5,
  /**
   * 3 robust sd between the two levels (EPA screening): a median of 30 is 5 times steadier than a reading,
   * so 3 sd is many standard errors; `stepMinChange` is usually the binding limit.
   */
  stepK: 3,
  /** 5 readings on each side of the change point (platform choice). */
  stepSharpReadings: 5,
  /** They must carry 60 % of the jump: a step happens between two readings, not over half an hour (platform choice). */
  stepSharpness: 0.6,
  /**
   * 6 × at low values: sensors reporting whole µg/m³ legitimately repeat 0, 1, 2 in clean air, so a run at or
   * below `flatlineLowValue` needs an hour instead of 10 minutes (QARTOD flat line test, suspect/fail counts).
   */
  flatlineLowValueFactor: 6,
  /**
   * 2.5 intervals: two missed readings in a row; a single lost message is not a dropout. At one reading a
   * minute a dropout is known 1.5 intervals after the first missed reading (QARTOD gap test).
   */
  dropoutIntervals: 2.5,
  /**
   * An hour: the period of the hourly means every later use of the readings starts from (the daily rollup,
   * the EU's one-hour values).
   */
  outOfRangeRepeatSeconds: 3600,
  /**
   * More than a quarter of an hour's readings out of range: the hour then misses the 75 % of valid readings a
   * one-hour value needs (EU completeness, the rule `hourlyMeans` applies; AirSensor hourly QC asks a similar
   * 67 %), so the sensor is losing data, not sending one bad value: 16 of 60 at one reading a minute. A
   * sentinel now and then stays a single `out_of_range` each.
   */
  outOfRangeRepeatShare: 0.25,
  /** An hour, as for out-of-range readings (platform choice). */
  frequentSpikesSeconds: 3600,
  /**
   * Five spikes of one measurement in an hour: the sensor, not the air (platform choice). On clean data the
   * k = 6 spike rule raises under 0.1 a day (Hampel filter, above), so five in an hour by chance has a
   * Poisson probability under 1e-13, while a plume passing a sensor near a road gives one or two; what
   * repeats that often is electrical noise, a loose connection, a failing fan or laser.
   */
  frequentSpikesCount: 5,
  /** Twice past the threshold is critical (platform choice). */
  criticalScore: 2,
  /** A week of hourly means (EPA sensortoolkit evaluates over days of collocation). */
  driftDays: 7,
  /** Two days of hourly pairs before a calibration or a trend is judged (platform choice). */
  driftMinPairs: 48,
  /** The trend or the ramp must explain half the variance: a change, not diurnal wandering (platform choice). */
  driftTrendMinR2: 0.5,
  /**
   * Three days: the ramp rule sees the day judged and the two before, so a change of a day or two has hours
   * on both sides of it for the sensor's own line, even when it began before yesterday (platform choice; a
   * slower drift is the shift and trend rules' business). A sensor's first days are judged once they hold
   * `driftMinPairs` hours.
   */
  driftRampHours: 72,
  /**
   * 12 hours: drift is slow; a ramp of a few hours is hard to tell from a step between two hourly means, and
   * the stream's step check (30 readings a side) judges those (platform choice).
   */
  driftRampMinHours: 12,
  /**
   * 0.8: a ramp must fit clearly better than a sudden step of the same kind (whose edge hours average the two
   * levels), or the change is a step, the stream's step check's business; and no hour-to-hour jump inside it
   * may exceed `neighbourK` robust sd of its increments (platform choice).
   */
  driftGradualness: 0.8,
  /**
   * Three quarters of the day's hours (the coverage rule's share, EU one-hour values): a step of up to half a
   * day, the stream's business, cannot make a shift; a calibration that moved and stayed does (platform choice).
   */
  driftSustainedShare: 0.75,
  /**
   * Three days, of which `driftMinPairs` (two days) of hours must be paired: a new sensor gets its baseline
   * after its first two stable days, and a gap of a day does not delay it (platform choice; EPA
   * sensortoolkit's field evaluations use 30 days of collocation, which the 30-day calibration shows beside it).
   */
  baselineDays: 3,
  /** 35 % of the reference mean, the width of EPA's PM2.5 slope band (EPA sensortoolkit). */
  biasRelative: 0.35,
  /** EPA's PM2.5 slope target 0.65–1.35 (EPA sensortoolkit); as a gain change, −35 % / +35 %. */
  slopeMin: 0.65,
  slopeMax: 1.35,
  /** EPA's PM2.5 linearity target R² ≥ 0.70 (EPA sensortoolkit). */
  slopeMinR2: 0.7,
  /** Back within half the limits closes a drift (platform choice: open at the limit, close at half of it). */
  driftCloseFactor: 0.5,
  /** 15 km: the sensors of one city, about one Open-Meteo grid cell and its neighbours (platform choice). */
  neighbourRadiusKm: 15,
  /** A median and a MAD need at least 3 values (Hampel filter). */
  neighbourMinCount: 3,
  /** 3.5 robust sd (Hampel filter, k between the usual 3 and 4: few neighbours give a noisy MAD). */
  neighbourK: 3.5,
  /**
   * And more than 50 % of the neighbours' median. Barkjohn et al. 2021 use 70 % for raw co-located channels;
   * here every mean is first put on the reference's scale by its sensor's calibration, which takes out the
   * unit-to-unit spread that 70 % allowed for, and 50 % is left for the air itself varying across a city
   * (platform choice, after Barkjohn et al. 2021).
   */
  neighbourMinRelative: 0.5,
  measurements: {
    pm2_5: concentration({
      /** PA-II spec / pat_qc. */
      max: 1000,
      /** Smoke next to a sensor rises fast, but not by 150 µg/m³ in a minute (platform choice; QARTOD rate of change). */
      maxChangePerMinute: 150,
      /** 1 µg/m³: Plantower resolution. */
      sdFloor: 1,
      /** 1 µg/m³: the same resolution bounds the step check's noise. */
      stepNoiseFloor: 1,
      /** 5 µg/m³: EPA's intercept band (EPA sensortoolkit). */
      stepMinChange: 5,
      /** 10 identical minutes (QARTOD flat line test). */
      flatlineReadings: 10,
      /** 3 µg/m³: where whole-µg output repeats in clean air. */
      flatlineLowValue: 3,
      flatlineTolerance: 0,
      /** 1 µg/m³ per day: the intercept band (±5) crossed within a week (EPA sensortoolkit). */
      driftPerDay: 1,
      /** ±5 µg/m³: EPA's PM2.5 intercept target (EPA sensortoolkit). */
      biasLimit: 5,
      /** 5 µg/m³ (Barkjohn et al. 2021). */
      neighbourMinDifference: 5,
    }),
    pm10: concentration({
      /** Twice PM2.5's: coarse dust events exceed 1000 µg/m³ (platform choice). */
      max: 2000,
      maxChangePerMinute: 300,
      sdFloor: 1,
      stepNoiseFloor: 1,
      stepMinChange: 10,
      flatlineReadings: 10,
      flatlineLowValue: 3,
      flatlineTolerance: 0,
      driftPerDay: 2,
      /** Twice PM2.5's, as PM10 levels are (platform choice). */
      biasLimit: 10,
      neighbourMinDifference: 10,
    }),
    no2: concentration({
      /** Ten times the EU hourly limit (200 µg/m³) (platform choice). */
      max: 2000,
      maxChangePerMinute: 150,
      /**
       * 4 µg/m³: an electrochemical cell's own minute noise (Alphasense B43F class, the simulator's error
       * model after Bigi et al. 2018). Near 0 the reported values fold to positive, and the MAD of that
       * half-normal noise understates its upper tail (robust sd 2–2.8 against 4 of noise): at 2 µg/m³
       * ordinary noise at low NO2 read as spikes (`docs/benchmarks.md`, Anomaly detection).
       */
      sdFloor: 4,
      /**
       * 2 µg/m³, half the spike floor: the step check compares medians of 30 readings, far steadier than one
       * reading, and measures the noise itself (successive differences); at 4 it misses multiplicative drops
       * of NO2 already near 10–15 µg/m³ (step recall 0.50 instead of 0.83 on one seed of eight, and 0.87–0.97
       * instead of 0.92–1.00 on the step-heavy mix; `docs/benchmarks.md`).
       */
      stepNoiseFloor: 2,
      stepMinChange: 10,
      flatlineReadings: 10,
      flatlineLowValue: 3,
      flatlineTolerance: 0,
      driftPerDay: 2,
      /** ≈ 5 ppb, EPA's intercept target for gas sensors (EPA sensortoolkit). */
      biasLimit: 10,
      neighbourMinDifference: 10,
    }),
    o3: concentration({
      /** Well above any ambient hour (the EU alert threshold is 240 µg/m³) (platform choice). */
      max: 1000,
      maxChangePerMinute: 100,
      /** 4 µg/m³ and 2 µg/m³: an electrochemical cell, as NO2's (the simulator draws the same noise). */
      sdFloor: 4,
      stepNoiseFloor: 2,
      stepMinChange: 10,
      flatlineReadings: 10,
      flatlineLowValue: 3,
      flatlineTolerance: 0,
      driftPerDay: 2,
      /** ±5 ppb ≈ 10 µg/m³: EPA's O3 intercept target (EPA sensortoolkit). */
      biasLimit: 10,
      neighbourMinDifference: 10,
    }),
    co: concentration({
      /** ≈ 43 ppm, far above ambient air (Open-Meteo hours are ~100–1000 µg/m³) (platform choice). */
      max: 50_000,
      maxChangePerMinute: 3000,
      sdFloor: 10,
      stepNoiseFloor: 10,
      stepMinChange: 100,
      flatlineReadings: 10,
      flatlineLowValue: 3,
      flatlineTolerance: 0,
      driftPerDay: 20,
      biasLimit: 100,
      neighbourMinDifference: 100,
    }),
    temperature: {
      /** PA-II spec / pat_qc (−40–185 °F). */
      min: -40,
      max: 85,
      maxChangePerMinute: 3,
      sdFloor: 0.1,
      stepNoiseFloor: 0.1,
      stepMinChange: 1,
      /** An hour: a 0.1 °C sensor repeats for many minutes on a still night (QARTOD flat line test). */
      flatlineReadings: 60,
      /** No low-value exception: temperatures repeat no more at −5 °C than at 20 °C. */
      flatlineLowValue: null,
      flatlineTolerance: 0,
      driftPerDay: 0.3,
      biasLimit: 2,
      neighbourMinDifference: 2,
    },
    relative_humidity: {
      /** PA-II spec / pat_qc. */
      min: 0,
      max: 100,
      maxChangePerMinute: 10,
      sdFloor: 0.5,
      stepNoiseFloor: 0.5,
      stepMinChange: 5,
      /** An hour, as temperature; and saturated air sits at 100 % legitimately, hence no low-value rule. */
      flatlineReadings: 60,
      flatlineLowValue: null,
      flatlineTolerance: 0,
      driftPerDay: 1,
      biasLimit: 10,
      neighbourMinDifference: 10,
    },
  },
};

/**
 * The defaults with `overrides` applied (per measurement too); an override left `undefined` keeps the
 * default. The result is validated as a whole, so a back threshold above the spike threshold, say, is
 * refused instead of silently ending every excursion at once.
 */
export function resolveDetectorThresholds(overrides: unknown = {}): DetectorThresholds {
  const parsedOverrides = detectorThresholdOverrides.safeParse(overrides);
  if (!parsedOverrides.success) throw invalid(parsedOverrides.error);
  const { measurements = {}, ...rest } = parsedOverrides.data as DetectorThresholdOverrides;
  const merged = {
    ...defaultDetectorThresholds,
    ...definedOnly(rest),
    measurements: Object.fromEntries(
      sensorMeasurementNames.map((name) => [
        name,
        { ...defaultDetectorThresholds.measurements[name], ...definedOnly(measurements[name] ?? {}) },
      ]),
    ),
  };
  const result = detectorThresholds.safeParse(merged);
  if (!result.success) throw invalid(result.error);
  return result.data;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function invalid(error: z.ZodError): AppError {
  return new AppError('DETECTOR_THRESHOLDS', `invalid detector thresholds: ${z.prettifyError(error)}`, {
    httpStatus: 400,
    cause: error,
  });
}

import type { DetectorThresholds, MeasurementThresholds } from './schema';

/** Concentrations: never negative (electrochemical gas sensors that read slightly below 0 lower `min`). */
const concentration = (values: Omit<MeasurementThresholds, 'min'>): MeasurementThresholds => ({ min: 0, ...values });

/** The default limits of each measurement, with why and from which source (sources: index.ts). */
export const defaultMeasurementThresholds: DetectorThresholds['measurements'] = {
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
};

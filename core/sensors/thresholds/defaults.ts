import { defaultMeasurementThresholds } from './measurement-defaults';
import type { DetectorThresholds } from './schema';

/** The default thresholds, each with why and from which source (sources: index.ts). */
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
  measurements: defaultMeasurementThresholds,
};

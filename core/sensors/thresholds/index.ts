/**
 * Every tunable limit of the sensor anomaly detector in one object, each with its default, why, and the
 * public source it follows. Sources, cited by name in `defaults.ts` and `measurement-defaults.ts`:
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
 *
 * `schema.ts` states what thresholds must be, `defaults.ts` and `measurement-defaults.ts` the defaults with
 * their reasons, `resolve.ts` applies a config's overrides to them.
 */

export {
  detectorThresholdOverrides,
  detectorThresholds,
  measurementThresholds,
  type DetectorThresholdOverrides,
  type DetectorThresholds,
  type MeasurementThresholds,
} from './schema';
export { defaultDetectorThresholds } from './defaults';
export { resolveDetectorThresholds } from './resolve';

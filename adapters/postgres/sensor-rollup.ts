import type pg from 'pg';

import type { SensorAnomaly } from '../../core/sensors/anomaly';
import type { CalibrationBaseline } from '../../core/sensors/hourly/baseline';
import type { Calibration } from '../../core/sensors/hourly/calibration';
import type { CalibrationTarget, CalibrationVerdict } from '../../core/sensors/hourly/calibration-verdict';
import { hourlyAnomalyTypes, type RollupSensor } from '../../core/sensors/hourly/daily-checks';
import type { FlaggedReading, SensorHourMean } from '../../core/sensors/hourly/hourly-means';
import { referenceHoursFromReadings, type ReferenceHour } from '../../core/sensors/hourly/reference';
import { sensorMeasurementNames, type SensorMeasurementName } from '../../core/sensors/reading';
import { openMeteoNameOf, referencePollutants } from '../../core/sensors/simulator/reference';

import { anomalyFromRow, anomalyRowValues, insertAnomalySql, type AnomalyRow } from './anomaly-row';
import { withTransaction } from './transaction';

/**
 * The daily sensor rollup's storage (migrations 0009, 0010): what it reads (checked readings, the registry,
 * the reference locations' readings, the drift and neighbour anomalies still open, the baselines) and what
 * it writes (hourly means, calibrations with their verdicts, baselines, anomalies). Every write is an upsert on the row's key that leaves identical rows
 * alone, so a day rolled up again writes nothing new.
 */

/** Sensors heard from during [from, to) by the registry's first/last seen, in id order. */
export async function sensorsHeardBetween(pool: pg.Pool, from: string, to: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM sensors WHERE first_seen < $2 AND last_seen >= $1 ORDER BY id',
    [from, to],
  );
  return rows.map((r) => r.id);
}

interface ReadingRow {
  sensor_id: string;
  observed_at: Date;
  qc_flags: string[];
  [measurement: string]: unknown;
}

/** The stored readings of these sensors observed in [from, to), with their flags. */
export async function loadFlaggedReadings(
  pool: pg.Pool,
  sensorIds: readonly string[],
  from: string,
  to: string,
): Promise<FlaggedReading[]> {
  const { rows } = await pool.query<ReadingRow>(
    `SELECT sensor_id, observed_at, ${sensorMeasurementNames.join(', ')}, qc_flags FROM sensor_readings
     WHERE sensor_id = ANY($1::text[]) AND observed_at >= $2 AND observed_at < $3`,
    [sensorIds, from, to],
  );
  return rows.map((row) => {
    const measurements: Partial<Record<SensorMeasurementName, number>> = {};
    for (const name of sensorMeasurementNames) {
      const value = row[name];
      if (typeof value === 'number') measurements[name] = value;
    }
    return {
      sensor_id: row.sensor_id,
      timestamp: row.observed_at.toISOString(),
      measurements,
      qc_flags: row.qc_flags,
    };
  });
}

/**
 * Makes the stored means of these sensors over [from, to) exactly `means`, in one transaction: rows no
 * longer in it are removed, changed ones updated, identical ones left alone.
 */
export async function replaceHourlyMeans(
  pool: pg.Pool,
  input: { sensorIds: readonly string[]; from: string; to: string; means: readonly SensorHourMean[] },
): Promise<{ written: number; removed: number }> {
  const { means } = input;
  return withTransaction(pool, async (client) => {
    const removed = await client.query(
      `DELETE FROM sensor_hourly_means h
       WHERE h.sensor_id = ANY($1::text[]) AND h.hour >= $2 AND h.hour < $3
         AND NOT EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[], $6::timestamptz[]) AS k(s, m, t)
                         WHERE k.s = h.sensor_id AND k.m = h.measurement AND k.t = h.hour)`,
      [
        input.sensorIds,
        input.from,
        input.to,
        means.map((m) => m.sensorId),
        means.map((m) => m.measurement),
        means.map((m) => m.hour),
      ],
    );
    const written = await client.query(
      `INSERT INTO sensor_hourly_means AS h (sensor_id, measurement, hour, mean, n, coverage)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::int[], $6::float8[])
       ON CONFLICT (sensor_id, measurement, hour) DO UPDATE
         SET mean = EXCLUDED.mean, n = EXCLUDED.n, coverage = EXCLUDED.coverage, computed_at = now()
         WHERE (h.mean, h.n, h.coverage) IS DISTINCT FROM (EXCLUDED.mean, EXCLUDED.n, EXCLUDED.coverage)`,
      [
        means.map((m) => m.sensorId),
        means.map((m) => m.measurement),
        means.map((m) => m.hour),
        means.map((m) => m.value),
        means.map((m) => m.n),
        means.map((m) => m.coverage),
      ],
    );
    return { written: written.rowCount ?? 0, removed: removed.rowCount ?? 0 };
  });
}

/** Stored means of these measurements over [from, to), every sensor, by sensor and hour. */
export async function loadHourlyMeans(
  pool: pg.Pool,
  from: string,
  to: string,
  measurements: readonly string[] = referencePollutants,
): Promise<SensorHourMean[]> {
  const { rows } = await pool.query<{
    sensor_id: string;
    measurement: SensorMeasurementName;
    hour: Date;
    mean: number;
    n: number;
    coverage: number;
  }>(
    `SELECT sensor_id, measurement, hour, mean, n, coverage FROM sensor_hourly_means
     WHERE hour >= $1 AND hour < $2 AND measurement = ANY($3::text[])
     ORDER BY sensor_id, measurement, hour`,
    [from, to, measurements],
  );
  return rows.map((r) => ({
    sensorId: r.sensor_id,
    measurement: r.measurement,
    hour: r.hour.toISOString(),
    value: r.mean,
    n: r.n,
    coverage: r.coverage,
  }));
}

/** The sensors in service, with their position and reference location. */
export async function listRollupSensors(pool: pg.Pool): Promise<RollupSensor[]> {
  const { rows } = await pool.query<{
    id: string;
    latitude: number;
    longitude: number;
    nearest_location_id: string | null;
  }>(`SELECT id, latitude, longitude, nearest_location_id FROM sensors WHERE status = 'active' ORDER BY id`);
  return rows.map((r) => ({
    id: r.id,
    latitude: r.latitude,
    longitude: r.longitude,
    nearestLocationId: r.nearest_location_id,
  }));
}

/** The stored Open-Meteo hours of these locations over [from, to), as references (sensor names). */
export async function loadReferenceHours(
  pool: pg.Pool,
  locationIds: readonly string[],
  from: string,
  to: string,
): Promise<ReferenceHour[]> {
  if (locationIds.length === 0) return [];
  const columns = referencePollutants.map((p) => openMeteoNameOf[p]);
  const { rows } = await pool.query<Record<string, unknown> & { location_id: string; observed_at: Date }>(
    `SELECT location_id, observed_at, ${columns.join(', ')} FROM readings
     WHERE location_id = ANY($1::text[]) AND observed_at >= $2 AND observed_at < $3
     ORDER BY location_id, observed_at`,
    [locationIds, from, to],
  );
  return locationIds.flatMap((locationId) =>
    referenceHoursFromReadings(
      locationId,
      rows
        .filter((r) => r.location_id === locationId)
        .map((r) => ({
          observedAt: r.observed_at.toISOString(),
          values: Object.fromEntries(columns.map((c) => [c, typeof r[c] === 'number' ? r[c] : null])),
        })),
    ),
  );
}

/** The drift and neighbour anomalies open at `at`: detected by then, and not closed by then. */
export async function openHourlyAnomalies(pool: pg.Pool, at: string): Promise<SensorAnomaly[]> {
  const { rows } = await pool.query<AnomalyRow>(
    `SELECT id, sensor_id, type, measurement, severity, score, window_start, window_end, evidence, detected_at
     FROM sensor_anomalies
     WHERE type = ANY($1::text[]) AND detected_at <= $2 AND (closed_at IS NULL OR closed_at > $2)
     ORDER BY sensor_id, type, measurement, window_start`,
    [hourlyAnomalyTypes, at],
  );
  return rows.map(anomalyFromRow);
}

/**
 * One day's checks in one transaction: the calibrations (upsert by sensor, measurement, window, day), the
 * baselines the day established (upsert by sensor and measurement; an earlier day's replaces a later one's,
 * never the reverse) and the anomalies (upsert by id). An anomaly's window and score only grow and a close
 * is kept, so rolling an earlier day up again never takes back what a later day found.
 */
export async function storeDailyChecks(
  pool: pg.Pool,
  input: {
    calibrations: readonly Calibration[];
    baselines: readonly CalibrationBaseline[];
    anomalies: readonly { anomaly: SensorAnomaly; closedAt?: string }[];
  },
): Promise<{ calibrationsWritten: number; baselinesWritten: number; anomaliesWritten: number }> {
  const { calibrations, baselines, anomalies } = input;
  return withTransaction(pool, async (client) => {
    const c = await client.query(
      `INSERT INTO sensor_calibrations AS c (sensor_id, measurement, window_days, as_of, reference_location_id,
         bias, slope, intercept, r2, n, reference_mean, within_targets, outside_targets)
       SELECT s, m, w, d, l, b, sl, i, r, n, rm, wt, string_to_array(o, ',')
       FROM unnest($1::text[], $2::text[], $3::int[], $4::date[], $5::text[], $6::float8[], $7::float8[],
         $8::float8[], $9::float8[], $10::int[], $11::float8[], $12::boolean[], $13::text[])
         AS u(s, m, w, d, l, b, sl, i, r, n, rm, wt, o)
       ON CONFLICT (sensor_id, measurement, window_days, as_of) DO UPDATE SET
         reference_location_id = EXCLUDED.reference_location_id, bias = EXCLUDED.bias, slope = EXCLUDED.slope,
         intercept = EXCLUDED.intercept, r2 = EXCLUDED.r2, n = EXCLUDED.n,
         reference_mean = EXCLUDED.reference_mean, within_targets = EXCLUDED.within_targets,
         outside_targets = EXCLUDED.outside_targets, computed_at = now()
       WHERE (c.reference_location_id, c.bias, c.slope, c.intercept, c.r2, c.n, c.reference_mean, c.within_targets,
           c.outside_targets)
         IS DISTINCT FROM (EXCLUDED.reference_location_id, EXCLUDED.bias, EXCLUDED.slope, EXCLUDED.intercept,
           EXCLUDED.r2, EXCLUDED.n, EXCLUDED.reference_mean, EXCLUDED.within_targets, EXCLUDED.outside_targets)`,
      [
        calibrations.map((r) => r.sensorId),
        calibrations.map((r) => r.measurement),
        calibrations.map((r) => r.windowDays),
        calibrations.map((r) => r.asOf),
        calibrations.map((r) => r.referenceLocationId),
        calibrations.map((r) => r.bias),
        calibrations.map((r) => r.slope),
        calibrations.map((r) => r.intercept),
        calibrations.map((r) => r.r2),
        calibrations.map((r) => r.n),
        calibrations.map((r) => r.referenceMean),
        calibrations.map((r) => r.verdict.withinTargets),
        // An empty list is '' (string_to_array gives {}), so a row within every target has outside = {}.
        calibrations.map((r) => r.verdict.outside.join(',')),
      ],
    );
    const b = await client.query(
      `INSERT INTO sensor_calibration_baselines AS b (sensor_id, measurement, established_on, window_days,
         reference_location_id, bias, slope, intercept, r2, n, reference_mean)
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::int[], $5::text[], $6::float8[], $7::float8[],
         $8::float8[], $9::float8[], $10::int[], $11::float8[])
       ON CONFLICT (sensor_id, measurement) DO UPDATE SET
         established_on = EXCLUDED.established_on, window_days = EXCLUDED.window_days,
         reference_location_id = EXCLUDED.reference_location_id, bias = EXCLUDED.bias, slope = EXCLUDED.slope,
         intercept = EXCLUDED.intercept, r2 = EXCLUDED.r2, n = EXCLUDED.n, reference_mean = EXCLUDED.reference_mean,
         computed_at = now()
       WHERE EXCLUDED.established_on <= b.established_on
         AND (b.established_on, b.window_days, b.reference_location_id, b.bias, b.slope, b.intercept, b.r2, b.n,
           b.reference_mean)
         IS DISTINCT FROM (EXCLUDED.established_on, EXCLUDED.window_days, EXCLUDED.reference_location_id,
           EXCLUDED.bias, EXCLUDED.slope, EXCLUDED.intercept, EXCLUDED.r2, EXCLUDED.n, EXCLUDED.reference_mean)`,
      [
        baselines.map((r) => r.sensorId),
        baselines.map((r) => r.measurement),
        baselines.map((r) => r.establishedOn),
        baselines.map((r) => r.windowDays),
        baselines.map((r) => r.referenceLocationId),
        baselines.map((r) => r.bias),
        baselines.map((r) => r.slope),
        baselines.map((r) => r.intercept),
        baselines.map((r) => r.r2),
        baselines.map((r) => r.n),
        baselines.map((r) => r.referenceMean),
      ],
    );
    let anomaliesWritten = 0;
    for (const { anomaly, closedAt } of anomalies) {
      const a = await client.query(
        `${insertAnomalySql}
         ON CONFLICT (id) DO UPDATE SET
           severity = CASE WHEN EXCLUDED.window_end >= a.window_end THEN EXCLUDED.severity ELSE a.severity END,
           evidence = CASE WHEN EXCLUDED.window_end >= a.window_end THEN EXCLUDED.evidence ELSE a.evidence END,
           score = GREATEST(a.score, EXCLUDED.score),
           window_end = GREATEST(a.window_end, EXCLUDED.window_end),
           closed_at = COALESCE(EXCLUDED.closed_at, a.closed_at),
           updated_at = now()
         WHERE (a.severity, a.evidence, a.score, a.window_end, a.closed_at)
           IS DISTINCT FROM (
             CASE WHEN EXCLUDED.window_end >= a.window_end THEN EXCLUDED.severity ELSE a.severity END,
             CASE WHEN EXCLUDED.window_end >= a.window_end THEN EXCLUDED.evidence ELSE a.evidence END,
             GREATEST(a.score, EXCLUDED.score), GREATEST(a.window_end, EXCLUDED.window_end),
             COALESCE(EXCLUDED.closed_at, a.closed_at))`,
        anomalyRowValues(anomaly, closedAt),
      );
      anomaliesWritten += a.rowCount ?? 0;
    }
    return { calibrationsWritten: c.rowCount ?? 0, baselinesWritten: b.rowCount ?? 0, anomaliesWritten };
  });
}

/** A stored calibration; rows written before migration 0010 have no verdict (null). */
export type StoredCalibration = Omit<Calibration, 'verdict'> & { verdict: CalibrationVerdict | null };

/** A sensor's stored calibrations, newest day first (for the CLI, the API and tests). */
export async function listCalibrations(
  pool: pg.Pool,
  filter: { sensorId?: string; asOf?: string; latestOnly?: boolean } = {},
): Promise<StoredCalibration[]> {
  const { rows } = await pool.query<{
    sensor_id: string;
    measurement: Calibration['measurement'];
    window_days: Calibration['windowDays'];
    as_of: string;
    reference_location_id: string;
    bias: number;
    slope: number;
    intercept: number;
    r2: number;
    n: number;
    reference_mean: number;
    within_targets: boolean | null;
    outside_targets: CalibrationTarget[] | null;
  }>(
    `SELECT sensor_id, measurement, window_days, as_of::text AS as_of, reference_location_id, bias, slope,
       intercept, r2, n, reference_mean, within_targets, outside_targets
     FROM sensor_calibrations c
     WHERE ($1::text IS NULL OR sensor_id = $1) AND ($2::date IS NULL OR as_of = $2)
       AND (NOT $3::boolean OR as_of = (SELECT max(as_of) FROM sensor_calibrations l WHERE l.sensor_id = c.sensor_id))
     ORDER BY as_of DESC, sensor_id, measurement, window_days`,
    [filter.sensorId ?? null, filter.asOf ?? null, filter.latestOnly ?? false],
  );
  return rows.map((r) => ({
    sensorId: r.sensor_id,
    measurement: r.measurement,
    windowDays: r.window_days,
    asOf: r.as_of,
    referenceLocationId: r.reference_location_id,
    bias: r.bias,
    slope: r.slope,
    intercept: r.intercept,
    r2: r.r2,
    n: r.n,
    referenceMean: r.reference_mean,
    verdict: r.within_targets === null ? null : { withinTargets: r.within_targets, outside: r.outside_targets ?? [] },
  }));
}

/** Baselines established before `before` (a day, `YYYY-MM-DD`), or every one; optionally of one sensor. */
export async function listBaselines(
  pool: pg.Pool,
  filter: { sensorId?: string; before?: string } = {},
): Promise<CalibrationBaseline[]> {
  const { rows } = await pool.query<{
    sensor_id: string;
    measurement: CalibrationBaseline['measurement'];
    established_on: string;
    window_days: number;
    reference_location_id: string;
    bias: number;
    slope: number;
    intercept: number;
    r2: number;
    n: number;
    reference_mean: number;
  }>(
    `SELECT sensor_id, measurement, established_on::text AS established_on, window_days, reference_location_id,
       bias, slope, intercept, r2, n, reference_mean
     FROM sensor_calibration_baselines
     WHERE ($1::text IS NULL OR sensor_id = $1) AND ($2::date IS NULL OR established_on < $2)
     ORDER BY sensor_id, measurement`,
    [filter.sensorId ?? null, filter.before ?? null],
  );
  return rows.map((r) => ({
    sensorId: r.sensor_id,
    measurement: r.measurement,
    establishedOn: r.established_on,
    windowDays: r.window_days,
    referenceLocationId: r.reference_location_id,
    bias: r.bias,
    slope: r.slope,
    intercept: r.intercept,
    r2: r.r2,
    n: r.n,
    referenceMean: r.reference_mean,
  }));
}

-- What the daily sensor rollup (sensorDailyRollup) keeps. Each sensor's hourly means of every measurement,
-- from its unflagged readings, for the hours that met the coverage rule (>= 75 % of the expected readings),
-- with how many readings went in; and each sensor's calibration against its reference (the Open-Meteo
-- readings of its nearest location) over the 7 and 30 days ending with a day: bias, slope, intercept, R².
-- Both are upserted by their keys, so re-running a day rewrites the same rows.
CREATE TABLE sensor_hourly_means (
  sensor_id text NOT NULL,
  measurement text NOT NULL,
  -- Start of the hour.
  hour timestamptz NOT NULL,
  mean double precision NOT NULL,
  n integer NOT NULL CHECK (n > 0),
  coverage double precision NOT NULL CHECK (coverage > 0 AND coverage <= 1),
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sensor_id, measurement, hour)
);

-- A day's means of every sensor: the neighbour check and the fits read by time.
CREATE INDEX sensor_hourly_means_hour_idx ON sensor_hourly_means (hour);

CREATE TABLE sensor_calibrations (
  sensor_id text NOT NULL,
  measurement text NOT NULL,
  window_days integer NOT NULL CHECK (window_days IN (7, 30)),
  -- The last day of the window.
  as_of date NOT NULL,
  reference_location_id text NOT NULL,
  -- Mean of sensor - reference; sensor = intercept + slope * reference by least squares, with its R².
  bias double precision NOT NULL,
  slope double precision NOT NULL,
  intercept double precision NOT NULL,
  r2 double precision NOT NULL,
  n integer NOT NULL,
  reference_mean double precision NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sensor_id, measurement, window_days, as_of)
);

CREATE INDEX sensor_calibrations_as_of_idx ON sensor_calibrations (as_of);

-- The rollup's anomalies (drift, neighbour_disagreement) live in sensor_anomalies with the detector's; the
-- rollup reads those open at the start of a day.
CREATE INDEX sensor_anomalies_hourly_open_idx ON sensor_anomalies (type, detected_at)
  WHERE type IN ('drift', 'neighbour_disagreement');

-- The daily rollup's calibration judgement and each sensor's baseline calibration.
-- A calibration (7 or 30 days against the reference) now carries its verdict against EPA's targets (slope,
-- intercept, R²): a property of the unit, shown with the sensor, no longer an anomaly. Rows written before
-- this migration have no verdict (NULL) until their day is rolled up again.
ALTER TABLE sensor_calibrations
  ADD COLUMN within_targets boolean,
  ADD COLUMN outside_targets text[];

-- A sensor's baseline per pollutant: its line against the reference over its first stable days, fitted by
-- the rollup of the day that ends the window (established_on) and used from the next day on, to judge drift
-- (a change from it) and to put the sensor's means on the reference's scale for the neighbour check. One row
-- per sensor and pollutant: an earlier day rolled up again may replace it (the earlier baseline wins), a
-- later day never does.
CREATE TABLE sensor_calibration_baselines (
  sensor_id text NOT NULL,
  measurement text NOT NULL,
  established_on date NOT NULL,
  window_days integer NOT NULL CHECK (window_days > 0),
  reference_location_id text NOT NULL,
  bias double precision NOT NULL,
  slope double precision NOT NULL,
  intercept double precision NOT NULL,
  r2 double precision NOT NULL,
  n integer NOT NULL,
  reference_mean double precision NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sensor_id, measurement)
);

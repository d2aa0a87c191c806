-- Live accuracy (issue 14, deliverable 3). Every prediction the platform makes for a real hour: the API's
-- GET /forecast and the scoring step of the hourly ingest (each newly stored hour, every champion). One row
-- per model version, location, hour predicted from and horizon: the same question asked twice (two API
-- calls, an ingest retried) is one prediction, kept as first made (`source` says by whom). `actual` is the
-- reported European AQI of the target hour, filled when that hour is stored (NULL until then).
CREATE TABLE prediction_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_name text NOT NULL,
  model_version text NOT NULL,
  horizon_hours integer NOT NULL CHECK (horizon_hours >= 0),
  location_id text NOT NULL,
  -- The newest hour the features read, and the hour predicted (origin + horizon).
  origin_hour timestamptz NOT NULL,
  target_hour timestamptz NOT NULL,
  predicted double precision NOT NULL,
  source text NOT NULL CHECK (source IN ('api', 'scoring')),
  predicted_at timestamptz NOT NULL DEFAULT now(),
  actual double precision,
  resolved_at timestamptz,
  UNIQUE (model_name, model_version, location_id, origin_hour, horizon_hours)
);

-- What is still waiting for its actual (the resolve step's scan), and the rolling windows by target hour.
CREATE INDEX prediction_log_unresolved_idx ON prediction_log (target_hour) WHERE actual IS NULL;
CREATE INDEX prediction_log_model_target_idx ON prediction_log (model_name, model_version, target_hour);

-- The holdout MAE of each model version (metric `test_mae` of its training run in MLflow), written by the
-- activities that read it there, so the API compares live and holdout accuracy without asking MLflow.
CREATE TABLE model_holdouts (
  model_name text NOT NULL,
  model_version text NOT NULL,
  run_id text NOT NULL,
  holdout_mae double precision NOT NULL,
  holdout_rows integer,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (model_name, model_version)
);

-- The drift report also shows the live accuracy of the version over the report's window.
ALTER TABLE monitoring_reports ADD COLUMN accuracy jsonb;

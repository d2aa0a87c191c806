-- Champion monitoring (issue 14): one row per monitorChampion run, i.e. per model version and current
-- window. `status` says whether a drift report was made (`reported`) or why not (`no_reference`: the
-- champion's training snapshot could not be found or read, with `reason`). The full report (every column's
-- method, score, threshold and decision) is `report` and the MLflow run's report.json; the HTML report is an
-- artifact of the same run. Written by an activity Temporal may retry: one row per workflow id.
CREATE TABLE monitoring_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id text NOT NULL UNIQUE,
  model_name text NOT NULL,
  model_version text NOT NULL,
  status text NOT NULL CHECK (status IN ('reported', 'no_reference')),
  reason text,
  -- The training snapshot (lineage tag aqi.dataset_sha256) and the current window.
  reference_sha256 text,
  reference_rows integer,
  current_from timestamptz NOT NULL,
  current_to timestamptz NOT NULL,
  current_rows integer,
  dataset_drift boolean,
  drifted_columns integer,
  columns integer,
  drifted_share double precision,
  prediction_drift boolean,
  target_drift boolean,
  summary text,
  mlflow_run_id text,
  -- The MLflow run page and the HTML report as served by MLflow's artifact proxy.
  run_url text,
  html_url text,
  report jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX monitoring_reports_model_idx ON monitoring_reports (model_name, created_at DESC);

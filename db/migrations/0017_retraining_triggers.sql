-- Retraining on evidence (issue 14, deliverable 4): every monitor run whose evidence called for a retrain,
-- one row per trigger (its workflow id). `started` claimed a new training run; `joined` came within the
-- cooldown of a started one and points at that run (two triggers, one run). The evidence is the report (drift
-- or live accuracy) the approver sees in the run's promotionStatus.
CREATE TABLE retraining_triggers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  trigger_workflow_id text NOT NULL UNIQUE,
  model_name text NOT NULL,
  model_version text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('dataset_drift', 'live_accuracy')),
  outcome text NOT NULL CHECK (outcome IN ('started', 'joined')),
  training_workflow_id text NOT NULL,
  report_id bigint,
  evidence jsonb NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX retraining_triggers_model_idx ON retraining_triggers (model_name, claimed_at DESC);

-- The audit trail of the model lifecycle: every decision about a registered model version, who made it
-- and through which workflow run. Decisions are written by activities that Temporal may retry, so one
-- (workflow run, decision) pair is one row whatever the number of attempts.
CREATE TABLE model_promotions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_name text NOT NULL,
  -- NULL when evaluation rejected the candidate before it was registered.
  model_version text,
  decision text NOT NULL CHECK (
    decision IN ('approved', 'rejected', 'expired', 'rejected_by_evaluation', 'rolled_back')
  ),
  approver text,
  comment text,
  -- The version that held `champion` before this decision took effect (promotion and rollback).
  previous_version text,
  workflow_id text NOT NULL,
  requested_at timestamptz,
  decided_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (workflow_id, decision)
);

CREATE INDEX model_promotions_model_idx ON model_promotions (model_name, decided_at DESC);

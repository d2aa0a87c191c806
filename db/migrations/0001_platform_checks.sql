-- Results of the doctor workflow: each run checks every dependency end to end and records its report,
-- so "was the platform healthy at 03:00?" has an answer after the fact.
CREATE TABLE platform_checks (
  workflow_id text PRIMARY KEY,
  checked_at timestamptz NOT NULL DEFAULT now(),
  healthy boolean NOT NULL,
  report jsonb NOT NULL
);

CREATE INDEX platform_checks_checked_at_idx ON platform_checks (checked_at DESC);

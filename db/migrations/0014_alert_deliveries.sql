-- One row per alert and webhook target: delivered (a retry or a repeat with the same key sends nothing
-- more to that target) or given up after the last attempt Temporal allowed, with the reason. Targets are
-- named by their id (format, host, hash of the URL): the URL is a secret and is never stored.
CREATE TABLE alert_deliveries (
  alert_key text NOT NULL,
  target_id text NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'gave_up')),
  attempts integer NOT NULL CHECK (attempts >= 1),
  reason text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_key, target_id)
);

CREATE INDEX alert_deliveries_recent_idx ON alert_deliveries (recorded_at DESC);

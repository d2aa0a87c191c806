-- Incidents opened by the sensorIncident workflow, one per sustained fault (its anomaly id), with where it
-- stands for GET /incidents, and every step of it (opened, notified, escalated, acknowledged, resolved,
-- recovered, closed) in order. The workflow numbers its steps, so a retried activity writes a step once.
CREATE TABLE sensor_incidents (
  id text PRIMARY KEY,
  workflow_id text NOT NULL UNIQUE,
  sensor_id text NOT NULL,
  anomaly_type text NOT NULL,
  measurement text,
  severity text NOT NULL,
  summary text NOT NULL,
  fault_started_at timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'acknowledged', 'closed')),
  escalation_level integer NOT NULL DEFAULT 0,
  acknowledged_at timestamptz,
  acknowledged_by text,
  closed_at timestamptz,
  closed_reason text CHECK (closed_reason IN ('resolved', 'recovered')),
  closed_by text,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX sensor_incidents_open_idx ON sensor_incidents (state, opened_at DESC) WHERE state <> 'closed';
CREATE INDEX sensor_incidents_sensor_idx ON sensor_incidents (sensor_id, opened_at DESC);

CREATE TABLE sensor_incident_events (
  incident_id text NOT NULL REFERENCES sensor_incidents (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  event text NOT NULL CHECK (
    event IN ('opened', 'notified', 'escalated', 'acknowledged', 'resolved', 'recovered', 'closed')
  ),
  at timestamptz NOT NULL,
  actor text,
  comment text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (incident_id, seq)
);

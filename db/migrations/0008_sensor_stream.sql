-- What the sensor detector keeps. Every accepted reading once (sensor, event time) with the checks that
-- fired on it; every anomaly once (its deterministic id), opened then closed; per partition of
-- sensors.raw, the detector's state and the next offset it covers, written in the same transaction as the
-- readings, so a restarted or rebalanced detector resumes exactly where the stored data ends; and an outbox
-- of what is still to be published (topics, incident workflows), flushed after each commit.
CREATE TABLE sensor_readings (
  sensor_id text NOT NULL,
  observed_at timestamptz NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  pm2_5 double precision NOT NULL,
  pm10 double precision NOT NULL,
  no2 double precision NOT NULL,
  o3 double precision,
  co double precision,
  temperature double precision,
  relative_humidity double precision,
  qc_flags text[] NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL,
  PRIMARY KEY (sensor_id, observed_at)
);

CREATE TABLE sensor_anomalies (
  id text PRIMARY KEY,
  sensor_id text NOT NULL,
  type text NOT NULL,
  measurement text,
  severity text NOT NULL,
  score double precision NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  evidence jsonb NOT NULL,
  detected_at timestamptz NOT NULL,
  -- Event time the fault ended (null while it lasts).
  closed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sensor_anomalies_sensor_idx ON sensor_anomalies (sensor_id, window_start DESC);
CREATE INDEX sensor_anomalies_open_idx ON sensor_anomalies (window_start DESC) WHERE closed_at IS NULL;

CREATE TABLE sensor_detector_state (
  topic text NOT NULL,
  partition integer NOT NULL,
  next_offset bigint NOT NULL,
  snapshot jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition)
);

CREATE TABLE sensor_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  partition integer NOT NULL,
  -- A Kafka topic name, or incident:open / incident:recovered for the sensorIncident workflow.
  target text NOT NULL,
  key text,
  payload text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

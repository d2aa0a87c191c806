-- The IoT sensor registry: a sensor is registered the first time one of its readings is accepted, and keeps
-- its latest reported position, the platform location nearest to it (the reference its drift is measured
-- against), when it was first and last heard from (event time), and whether it is in service.
CREATE TABLE sensors (
  id text PRIMARY KEY,
  latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  nearest_location_id text REFERENCES locations (id) ON DELETE SET NULL,
  nearest_location_km double precision,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
  -- Who retired it, when and why (or brought it back): the operator's word, kept with the sensor.
  status_changed_at timestamptz,
  status_changed_by text,
  status_reason text,
  registered_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sensors_nearest_location_idx ON sensors (nearest_location_id);

-- Air-quality storage: places, source payloads as fetched, clean hourly readings, the indices computed
-- from them (one row per method: the EAQI method changed in 2026, so a value without its method is
-- ambiguous), and data-quality reports.

-- Open-Meteo answers for the model grid cell nearest to the requested coordinates, so a reading belongs
-- to the location it was requested for, not to whatever coordinates it carries.
CREATE TABLE locations (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]*$'),
  name text NOT NULL,
  latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO locations (id, name, latitude, longitude) VALUES
  ('paris', 'Paris', 48.8566, 2.3522),
  ('marseille', 'Marseille', 43.2965, 5.3698),
  ('lyon', 'Lyon', 45.764, 4.8357);

-- Every payload exactly as fetched, so any clean row can be traced back and re-derived. The request id
-- is derived from the run and the chunk: a retried fetch finds its own payload instead of adding one.
CREATE TABLE raw_payloads (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source text NOT NULL,
  request_id text NOT NULL,
  run_id text NOT NULL,
  fetched_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  UNIQUE (source, request_id)
);

-- One clean row per location and hour, in the Open-Meteo variable names and units (µg/m³, grains/m³,
-- dimensionless for UV and aerosol optical depth). NULL: not measured that hour.
CREATE TABLE readings (
  location_id text NOT NULL REFERENCES locations (id),
  observed_at timestamptz NOT NULL,
  pm10 double precision,
  pm2_5 double precision,
  carbon_monoxide double precision,
  nitrogen_dioxide double precision,
  sulphur_dioxide double precision,
  ozone double precision,
  ammonia double precision,
  dust double precision,
  aerosol_optical_depth double precision,
  uv_index double precision,
  uv_index_clear_sky double precision,
  alder_pollen double precision,
  birch_pollen double precision,
  grass_pollen double precision,
  mugwort_pollen double precision,
  olive_pollen double precision,
  ragweed_pollen double precision,
  -- What the source itself reported, kept to compare with the platform's own computation.
  reported_european_aqi double precision,
  reported_us_aqi double precision,
  source text NOT NULL,
  run_id text NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (location_id, observed_at)
);

-- Time-range scans across all locations (quality windows, training snapshots).
CREATE INDEX readings_observed_at_idx ON readings (observed_at);

-- Indices the platform computed, one row per method (e.g. eaqi-open-meteo-pre-2026-08, eaqi-eea-2024,
-- us-aqi-epa), with the pollutant that set the value.
CREATE TABLE reading_indices (
  location_id text NOT NULL,
  observed_at timestamptz NOT NULL,
  method text NOT NULL,
  value double precision NOT NULL,
  dominant text NOT NULL,
  PRIMARY KEY (location_id, observed_at, method),
  FOREIGN KEY (location_id, observed_at) REFERENCES readings (location_id, observed_at) ON DELETE CASCADE
);

CREATE TABLE quality_reports (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id text NOT NULL UNIQUE,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  location_ids text[] NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail')),
  checks jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (window_end > window_start)
);

CREATE INDEX quality_reports_window_idx ON quality_reports (window_start, window_end);

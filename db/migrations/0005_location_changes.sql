-- Locations are managed at run time (airq locations, /locations): every addition and removal is kept,
-- with who did it; a removal that purged readings records how many went with it.
CREATE TABLE location_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  location_id text NOT NULL,
  change text NOT NULL CHECK (change IN ('added', 'removed', 'purged')),
  actor text NOT NULL,
  -- The location as it was (name, coordinates), the readings deleted with it, a forced closeness.
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX location_changes_location_idx ON location_changes (location_id, changed_at DESC);

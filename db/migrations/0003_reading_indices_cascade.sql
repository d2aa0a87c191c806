-- reading_indices rows are written only by storeReadings, in the same transaction as the readings they
-- belong to, so the per-row foreign key check bought nothing on insert and cost a third of the stream's
-- store time (one index lookup and row lock per index row, three index rows per reading). Deleting
-- readings still removes their indices, now with one statement-level trigger per DELETE.
ALTER TABLE reading_indices DROP CONSTRAINT reading_indices_location_id_observed_at_fkey;

CREATE FUNCTION delete_indices_of_deleted_readings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM reading_indices i
  USING deleted d
  WHERE i.location_id = d.location_id AND i.observed_at = d.observed_at;
  RETURN NULL;
END;
$$;

CREATE TRIGGER readings_delete_cascades_to_indices
AFTER DELETE ON readings
REFERENCING OLD TABLE AS deleted
FOR EACH STATEMENT EXECUTE FUNCTION delete_indices_of_deleted_readings();

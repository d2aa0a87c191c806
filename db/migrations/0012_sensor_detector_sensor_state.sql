-- The detector's state per sensor instead of one snapshot per partition. A chunk used to rewrite its
-- partition's whole snapshot (every sensor's windows, open faults and queued readings), so what each chunk
-- wrote grew with the sensors of the partition: 7-9 MB per chunk at 2,000 sensors. Now a chunk writes, in
-- the same transaction as its readings, anomalies and next offset, the small partition part in
-- sensor_detector_state.snapshot (watermark and the claims ahead of it: 'sensors.detector-partition/v1')
-- and one checkpoint per sensor it touched here (the sensor's checks and its readings still waiting for
-- the watermark). A restart or a rebalance reads the partition row and its sensors' rows back.
--
-- checkpoint is JSON kept as text, not jsonb: it is only ever written whole and read whole by the
-- detector, and PostgreSQL's jsonb parsing was most of the cost of writing it (measured 2026-11-30:
-- 759 ms as jsonb, 290 ms as text for 643 checkpoints of ~13 KB).
CREATE TABLE sensor_detector_sensor_state (
  topic text NOT NULL,
  partition integer NOT NULL,
  sensor_id text NOT NULL,
  checkpoint text NOT NULL,
  PRIMARY KEY (topic, partition, sensor_id),
  FOREIGN KEY (topic, partition) REFERENCES sensor_detector_state (topic, partition) ON DELETE CASCADE
);

-- Snapshots stored whole ('sensors.detector-state/v1') become a partition part and one checkpoint per
-- sensor, each sensor with its own queued readings in the order the snapshot held them (event time).
INSERT INTO sensor_detector_sensor_state (topic, partition, sensor_id, checkpoint)
SELECT s.topic, s.partition, sensor->>'sensorId',
  (sensor || jsonb_build_object('pending', COALESCE(
    (SELECT jsonb_agg(q.reading ORDER BY q.n)
     FROM jsonb_array_elements(s.snapshot->'pending') WITH ORDINALITY AS q(reading, n)
     WHERE q.reading->>'sensor_id' = sensor->>'sensorId'),
    '[]'::jsonb)))::text
FROM sensor_detector_state s, jsonb_array_elements(s.snapshot->'sensors') AS sensor
WHERE s.snapshot->>'schema' = 'sensors.detector-state/v1';

UPDATE sensor_detector_state
SET snapshot = jsonb_build_object('schema', 'sensors.detector-partition/v1', 'watermarkMs', snapshot->'watermarkMs',
  'aheadClaims', snapshot->'aheadClaims')
WHERE snapshot->>'schema' = 'sensors.detector-state/v1';

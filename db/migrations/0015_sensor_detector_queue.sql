-- The detector's queued readings (accepted, waiting for the partition's watermark to pass them by the
-- allowed lateness) get their own rows instead of riding in their sensor's checkpoint. In live operation
-- the queue is most of the state: 300 s of lateness at a reading a second is 300 readings per sensor, and
-- every chunk rewrote the queue of each sensor it touched (measured 2026-11-30: out-of-range anomalies
-- reached sensors.anomalies 3.9 s after their reading at p95 with 1,000 sensors, the target is 0.5 s). Now a
-- chunk inserts the readings it queued and deletes those it released, in the same transaction as its
-- readings, anomalies, checkpoints and next offset.
--
-- observed_ms is the reading's event time as the detector keys it (epoch milliseconds); reading is the
-- reading's JSON as text, read back whole.
CREATE TABLE sensor_detector_queue (
  topic text NOT NULL,
  partition integer NOT NULL,
  sensor_id text NOT NULL,
  observed_ms bigint NOT NULL,
  reading text NOT NULL,
  PRIMARY KEY (topic, partition, sensor_id, observed_ms),
  FOREIGN KEY (topic, partition) REFERENCES sensor_detector_state (topic, partition) ON DELETE CASCADE
);

-- Checkpoints written before this hold their sensor's queue in 'pending': it moves here.
INSERT INTO sensor_detector_queue (topic, partition, sensor_id, observed_ms, reading)
SELECT c.topic, c.partition, c.sensor_id,
  round(extract(epoch FROM (q.reading->>'timestamp')::timestamptz) * 1000)::bigint, q.reading::text
FROM sensor_detector_sensor_state c, jsonb_array_elements(c.checkpoint::jsonb->'pending') AS q(reading)
ON CONFLICT DO NOTHING;

UPDATE sensor_detector_sensor_state
SET checkpoint = (checkpoint::jsonb - 'pending')::text
WHERE checkpoint::jsonb ? 'pending';

"""aqi_sensor_rollup: the daily batch of the IoT sensors (`sensorDailyRollup`) for the run's day.

Each run covers one UTC day (its data interval): the sensors' hourly means from unflagged readings (75 %
coverage), their 7- and 30-day calibration against the reference, the drift and neighbour checks, and a
`sensorIncident` per new drift. The Temporal Schedule `aqi-sensor-daily-rollup` (01:15 UTC) does the same
without Airflow; both name one workflow per day and trigger, and a second run of a day stores nothing new.
Backfill past days with `airflow backfill create --dag-id aqi_sensor_rollup --from-date … --to-date …`, oldest
first (`max_active_runs=1`): each day's drift check starts from the anomalies the day before left open. A run
first waits (in the triggerer) until the day's readings of the `aqi_locations`, the reference, are stored.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, CronDataIntervalTimetable

from aqi_airflow.operator import TemporalWorkflowOperator
from aqi_airflow.runs import sensor_rollup_request
from aqi_airflow.sensors import WindowStoredSensor

with DAG(
    dag_id="aqi_sensor_rollup",
    description="Daily sensor means, calibration, drift and neighbour checks, run by Temporal's sensorDailyRollup",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    # Days in order: a day's checks continue the anomalies the day before left open.
    max_active_runs=1,
    # Retries live in Temporal (activities retry with backoff); a failed workflow has used them up.
    default_args={"retries": 0},
    tags=["aqi", "sensors", "temporal"],
    doc_md=__doc__,
):
    # The calibration compares each sensor with its nearest location's readings: wait until the day is stored.
    reference = WindowStoredSensor(task_id="wait_for_reference_day", poke_interval=60.0, timeout=12 * 3600)
    rollup = TemporalWorkflowOperator(
        task_id="roll_up_sensors",
        build=lambda window, params, settings: sensor_rollup_request(window, settings.task_queue),
        poll_seconds=5.0,
    )
    reference >> rollup

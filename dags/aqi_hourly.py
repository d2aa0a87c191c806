"""aqi_hourly: ingest each hour's readings (`ingestHourly`) for the run's data interval.

Catch-up capable: runs are independent, so enable `[scheduler] catchup_by_default` or backfill with
`airflow backfill create --dag-id aqi_hourly --from-date … --to-date …`; every interval maps to one workflow
id, so running it again starts nothing new.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, CronDataIntervalTimetable, Param

from aqi_airflow.operator import TemporalWorkflowOperator
from aqi_airflow.runs import hourly_request
from aqi_airflow.sensors import SourceHourSensor
from aqi_airflow.settings import default_locations

with DAG(
    dag_id="aqi_hourly",
    description="Hourly ingestion through Kafka into PostgreSQL, run by Temporal's ingestHourly workflow",
    schedule=CronDataIntervalTimetable("0 * * * *", timezone="UTC"),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    max_active_runs=8,
    params={"locations": Param(None, type=["null", "array"], description="Location ids; default: aqi_locations")},
    # Retries live in Temporal (activities retry with backoff); a failed workflow has used them up.
    default_args={"retries": 0},
    tags=["aqi", "ingestion", "temporal"],
    doc_md=__doc__,
):
    # The source publishes an hour some minutes after it ends: wait for it in the triggerer, not in Temporal.
    published = SourceHourSensor(task_id="wait_for_source_hour", poke_interval=60.0, timeout=6 * 3600)
    ingest = TemporalWorkflowOperator(
        task_id="ingest_hour",
        build=lambda window, params, settings: hourly_request(
            window, params.get("locations") or default_locations(), settings.task_queue
        ),
        poll_seconds=2.0,
    )
    published >> ingest

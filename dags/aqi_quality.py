"""aqi_quality: the daily data-quality report (`checkDataQuality`) over the run's data interval."""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, CronDataIntervalTimetable, Param

from aqi_airflow.operator import TemporalWorkflowOperator
from aqi_airflow.runs import quality_request
from aqi_airflow.settings import default_locations

with DAG(
    dag_id="aqi_quality",
    description="Daily data-quality check of the stored readings, run by Temporal's checkDataQuality workflow",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    max_active_runs=4,
    params={"locations": Param(None, type=["null", "array"], description="Location ids; default: aqi_locations")},
    # Retries live in Temporal (activities retry with backoff); a failed workflow has used them up.
    default_args={"retries": 0},
    tags=["aqi", "quality", "temporal"],
    doc_md=__doc__,
):
    TemporalWorkflowOperator(
        task_id="check_quality",
        build=lambda window, params, settings: quality_request(
            window, params.get("locations") or default_locations(), settings.task_queue
        ),
        poll_seconds=2.0,
    )

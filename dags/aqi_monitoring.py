"""aqi_monitoring: the daily drift report of every champion (`monitorChampions`, one `monitorChampion` each).

Each run judges each model's champion on the 7 days of stored hours before the end of its data interval
against the champion's own training snapshot (found through its lineage tags): feature, prediction and target
drift with Evidently's DataDriftPreset defaults. The reports go to MLflow (experiment `aqi-monitoring`, JSON and
a self-contained HTML page per run), to `monitoring_reports` and to `GET /monitoring/reports`. The Temporal
Schedule `aqi-champion-monitor` (02:00 UTC) does the same without Airflow; pick one scheduler. The run first
waits (in the triggerer) until every hour of its day is stored for the `aqi_locations`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, CronDataIntervalTimetable, Param

from aqi_airflow.operator import TemporalWorkflowOperator
from aqi_airflow.runs import monitoring_request
from aqi_airflow.sensors import WindowStoredSensor

with DAG(
    dag_id="aqi_monitoring",
    description="Daily drift report of every champion, run by Temporal's monitorChampions",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    params={"window_days": Param(7, type="integer", minimum=1, maximum=90)},
    # Retries live in Temporal (activities retry with backoff); a failed workflow has used them up.
    default_args={"retries": 0},
    tags=["aqi", "monitoring", "temporal"],
    doc_md=__doc__,
):
    # The report's newest day must be in: a window with missing hours would judge the champion on fewer rows.
    stored = WindowStoredSensor(task_id="wait_for_day_stored", poke_interval=60.0, timeout=12 * 3600)
    monitor = TemporalWorkflowOperator(
        task_id="monitor_champions",
        build=lambda window, params, settings: monitoring_request(
            window, settings.task_queue, int(params.get("window_days", 7))
        ),
        poll_seconds=5.0,
    )
    stored >> monitor

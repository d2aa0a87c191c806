"""aqi_daily: yesterday's data, checked, then a model trained on it and put to a person for approval.

1. wait_for_day_stored: WindowStoredSensor, every hour of the interval's day stored for the locations (waits
   in the triggerer; fails naming the missing hours after `stored_wait_minutes`, default 12 h).
2. check_quality: `checkDataQuality` over the day; a failing report fails the run here.
3. train_and_request_approval: `trainingPipeline`; done once the run awaits approval (or was rejected by its
   evaluation), the human wait staying in Temporal. Windows default to the interval (the day is the holdout);
   the params set others, e.g. the bundled 2024 windows.
4. summarize_for_approval: logs the holdout metrics and where to approve (Web UI, `npx airq approve <id>`, API).
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, CronDataIntervalTimetable, Param, Variable, task

from aqi_airflow.approval import approval_summary
from aqi_airflow.operator import TemporalWorkflowOperator
from aqi_airflow.runs import quality_request, training_request
from aqi_airflow.sensors import WindowStoredSensor
from aqi_airflow.settings import default_locations
from aqi_airflow.training_params import training_params

with DAG(
    dag_id="aqi_daily",
    description="Yesterday stored → quality check → training that waits for approval → approval summary",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    max_active_runs=1,
    params={
        "locations": Param(None, type=["null", "array"], description="Location ids; default: aqi_locations"),
        "stored_wait_minutes": Param(None, type=["null", "number"], minimum=0, description="Sensor timeout; 12 h"),
        **training_params(),
    },
    # Retries live in Temporal (activities retry with backoff); a failed workflow has used them up.
    default_args={"retries": 0},
    tags=["aqi", "quality", "training", "temporal"],
    doc_md=__doc__,
):
    stored = WindowStoredSensor(
        task_id="wait_for_day_stored", poke_interval=60.0, timeout_param="stored_wait_minutes"
    )
    quality = TemporalWorkflowOperator(
        task_id="check_quality",
        build=lambda window, params, settings: quality_request(
            window, params.get("locations") or default_locations(), settings.task_queue
        ),
        poll_seconds=2.0,
    )
    training = TemporalWorkflowOperator(
        task_id="train_and_request_approval",
        build=lambda window, params, settings: training_request(
            window,
            {**params, "locations": params.get("locations") or default_locations()},
            settings.task_queue,
            settings.training_task_queue,
        ),
        wait_for="approval",
        poll_seconds=5.0,
    )

    @task(task_id="summarize_for_approval")
    def summarize_for_approval(ti=None) -> list[str]:
        outcome = ti.xcom_pull(task_ids="train_and_request_approval")
        lines = approval_summary(outcome, Variable.get("aqi_api_url", default="http://127.0.0.1:8000"))
        for line in lines:
            print(line)
        return lines

    stored >> quality >> training >> summarize_for_approval()

"""aqi_training: the weekly training pipeline (`trainingPipeline`) on the run's data interval.

The interval's week is the holdout, the two weeks before it validate and the year before that trains; any
window in the params replaces the derived one. The task succeeds once the pipeline awaits a human approval
(or has finished): the wait for the decision stays in Temporal, never in an Airflow worker slot. Approve
from the Temporal Web UI, `npx airq approve <workflow id>` or `POST /pipelines/<id>/approval`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, CronDataIntervalTimetable, Param

from aqi_airflow.operator import TemporalWorkflowOperator
from aqi_airflow.runs import training_request
from aqi_airflow.training_params import training_params

with DAG(
    dag_id="aqi_training",
    description="Weekly model training, evaluation and approval-gated promotion (Temporal's trainingPipeline)",
    schedule=CronDataIntervalTimetable("0 0 * * 0", timezone="UTC"),
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    max_active_runs=1,
    params={
        "locations": Param(["lyon"], type="array", minItems=1),
        **training_params(),
    },
    tags=["aqi", "training", "temporal"],
    doc_md=__doc__,
):
    TemporalWorkflowOperator(
        task_id="train_and_request_approval",
        build=lambda window, params, settings: training_request(
            window, params, settings.task_queue, settings.training_task_queue
        ),
        wait_for="approval",
        poll_seconds=5.0,
    )

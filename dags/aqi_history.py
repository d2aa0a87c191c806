"""aqi_history: a history backfill (`ingestHistory`) of the `from` .. `to` range (inclusive hours).

Triggered by hand with params (or once when unpaused, with the defaults: the bundled Lyon 2024 year). The
workflow id comes from the range and the locations, so asking for the same range again joins the first run.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, Param

from aqi_airflow.operator import TemporalWorkflowOperator
from aqi_airflow.runs import history_request

ISO_HOUR = r"^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$"

with DAG(
    dag_id="aqi_history",
    description="History backfill from Open-Meteo through Kafka into PostgreSQL (Temporal's ingestHistory)",
    schedule="@once",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    params={
        "from": Param("2024-01-01T00:00:00Z", type="string", pattern=ISO_HOUR, description="First hour (UTC)"),
        "to": Param("2024-12-31T23:00:00Z", type="string", pattern=ISO_HOUR, description="Last hour, inclusive"),
        "locations": Param(["lyon"], type="array", minItems=1, description="Location ids"),
    },
    tags=["aqi", "ingestion", "temporal"],
    doc_md=__doc__,
):
    TemporalWorkflowOperator(
        task_id="ingest_history",
        build=lambda window, params, settings: history_request(
            window.dag_id, params["from"], params["to"], list(params["locations"]), settings.task_queue
        ),
        poll_seconds=5.0,
    )

"""Where the Temporal server is, read inside a task (never at parse time).

Order: the Airflow connection `temporal_default` (host, port, schema = namespace, extra: task_queue,
training_task_queue, ui_url), then the Airflow variables `aqi_temporal_*`, then the local stack's defaults.
The embedded stack sets the connection through `AIRFLOW_CONN_TEMPORAL_DEFAULT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

CONNECTION_ID = "temporal_default"
DEFAULTS = {
    "address": "127.0.0.1:7233",
    "namespace": "aqi",
    "task_queue": "aqi-pipeline",
    "training_task_queue": "aqi-training",
    "ui_url": "http://127.0.0.1:8233",
    "locations": "lyon",
}


@dataclass(frozen=True)
class TemporalSettings:
    address: str
    namespace: str
    task_queue: str
    training_task_queue: str
    ui_url: str

    def workflow_url(self, workflow_id: str) -> str:
        return f"{self.ui_url.rstrip('/')}/namespaces/{self.namespace}/workflows/{workflow_id}"


def resolve_settings(connection: Any | None, variable: Callable[[str], str | None]) -> TemporalSettings:
    """`connection` is an Airflow Connection or None; `variable(name)` an Airflow variable or None."""
    values = {key: variable(f"aqi_temporal_{key}") or default for key, default in DEFAULTS.items()}
    if connection is not None:
        extra = connection.extra_dejson or {}
        if connection.host:
            values["address"] = f"{connection.host}:{connection.port or 7233}"
        if connection.schema:
            values["namespace"] = connection.schema
        for key in ("task_queue", "training_task_queue", "ui_url"):
            if extra.get(key):
                values[key] = str(extra[key])
    return TemporalSettings(
        address=values["address"],
        namespace=values["namespace"],
        task_queue=values["task_queue"],
        training_task_queue=values["training_task_queue"],
        ui_url=values["ui_url"],
    )


def temporal_settings() -> TemporalSettings:
    """The settings for the running task, from Airflow's connections and variables."""
    from airflow.sdk import Connection, Variable
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        connection = Connection.get(CONNECTION_ID)
    except AirflowNotFoundException:
        connection = None
    return resolve_settings(connection, lambda name: Variable.get(name, default=None))


def default_locations() -> list[str]:
    """The locations a DAG covers when its run does not say: the `aqi_locations` variable (comma-separated)."""
    from airflow.sdk import Variable

    raw = Variable.get("aqi_locations", default=None) or DEFAULTS["locations"]
    return [part.strip() for part in str(raw).split(",") if part.strip()]

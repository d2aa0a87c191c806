"""Deferrable sensors: each looks once in its worker slot, then waits in the triggerer (DataWaitTrigger).

- SourceHourSensor: the source has published the interval's hours for the locations.
- WindowStoredSensor: PostgreSQL holds every hour of the interval for the locations.
- TemporalWorkflowSensor: a workflow (by id or visibility query) completed, or awaits approval.

A timeout fails the task with what was still missing, e.g. "lyon: 2024-03-05T03:00Z, 2024-03-05T04:00Z
missing"; a wait that can never end (an unknown location, a failed workflow) fails at once.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from airflow.sdk import BaseSensorOperator
from airflow.sdk.exceptions import AirflowFailException, AirflowSensorTimeout

from aqi_airflow.connections import platform_postgres, platform_source
from aqi_airflow.data_checks import look
from aqi_airflow.settings import default_locations, temporal_settings
from aqi_airflow.wait_trigger import DataWaitTrigger

# If the triggerer itself is down past the deadline, Airflow's own deferral timeout ends the wait.
DEFERRAL_MARGIN = timedelta(minutes=10)


class DataWaitSensor(BaseSensorOperator):
    """
    The shared wait: `spec(context)` says what to check, `check` names the check (data_checks.CHECKS).
    `timeout` (seconds or timedelta) bounds the wait; `timeout_param` names a run param (minutes) that, when a
    run sets it, replaces it. `poke_interval` is how often the triggerer looks.
    """

    check = ""
    ui_color = "#e8f4d8"

    def __init__(self, *, timeout_param: str | None = None, **kwargs: Any):
        kwargs.setdefault("poke_interval", 60.0)
        kwargs.setdefault("timeout", timedelta(hours=12))
        super().__init__(**kwargs)
        self.timeout_param = timeout_param

    def spec(self, context: Any) -> dict[str, Any]:
        raise NotImplementedError

    def wait_seconds(self, context: Any) -> float:
        override = context["params"].get(self.timeout_param) if self.timeout_param else None
        return float(override) * 60 if override is not None else float(self.timeout)

    def execute(self, context: Any) -> Any:
        spec = self.spec(context)
        first = asyncio.run(look(self.check, spec))
        if first.done:
            self.log.info("%s", first.detail)
            return first.xcom
        if first.fatal:
            raise AirflowFailException(first.detail)
        wait = self.wait_seconds(context)
        self.log.info("waiting up to %s s in the triggerer: %s", round(wait), first.detail)
        self.defer(
            trigger=DataWaitTrigger(self.check, spec, time.time() + wait, float(self.poke_interval)),
            method_name="execute_complete",
            timeout=timedelta(seconds=wait) + DEFERRAL_MARGIN,
        )

    def execute_complete(self, context: Any, event: dict[str, Any]) -> Any:
        if event["state"] == "done":
            self.log.info("%s", event["detail"])
            return event.get("xcom")
        if event["state"] == "failed":
            raise AirflowFailException(event["detail"])
        waited = timedelta(seconds=round(self.wait_seconds(context)))
        raise AirflowSensorTimeout(f"still not there after {waited}: {event['detail']}")


def _interval(context: Any) -> tuple[str, str]:
    start, end = context.get("data_interval_start"), context.get("data_interval_end")
    if start is None or end is None or start >= end:
        raise AirflowFailException("this sensor waits for the hours of a data interval, and the run has none")
    return start.isoformat(), end.isoformat()


def _locations(context: Any, locations: list[str] | None) -> list[str]:
    return sorted(set(locations or context["params"].get("locations") or default_locations()))


class IntervalDataSensor(DataWaitSensor):
    """The shared part of the data sensors: the locations (else the run's, else aqi_locations) and the interval."""

    def __init__(self, *, locations: list[str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.locations = locations

    def spec(self, context: Any) -> dict[str, Any]:
        start, end = _interval(context)
        return {
            "postgres": platform_postgres(),
            "locations": _locations(context, self.locations),
            "start": start,
            "end": end,
        }


class SourceHourSensor(IntervalDataSensor):
    """The source (aqi_source: the live API or the replay server) has published every hour of the interval."""

    check = "source_hours"

    def spec(self, context: Any) -> dict[str, Any]:
        return {**super().spec(context), "source_url": platform_source()}


class WindowStoredSensor(IntervalDataSensor):
    """Every hour of the interval is stored (table readings, aqi_postgres) for every location."""

    check = "window_stored"


class TemporalWorkflowSensor(DataWaitSensor):
    """
    The workflow `workflow_id`, or the newest one `query` (Temporal visibility, e.g. `AqiPipeline =
    "checkDataQuality" AND AqiRangeStart = "2024-03-05T00:00:00Z"`) finds, has completed (wait_for="completion")
    or, for a training pipeline, reached approval or a later stage (wait_for="approval"). One that failed fails
    the task at once with its own message. Both fields are templated.
    """

    check = "temporal_workflow"
    template_fields = ("workflow_id", "query")

    def __init__(
        self, *, workflow_id: str | None = None, query: str | None = None, wait_for: str = "completion", **kwargs: Any
    ):
        super().__init__(**kwargs)
        if (workflow_id is None) == (query is None):
            raise ValueError("give either workflow_id or query")
        if wait_for not in ("completion", "approval"):
            raise ValueError(f"wait_for must be 'completion' or 'approval', got {wait_for!r}")
        self.workflow_id = workflow_id
        self.query = query
        self.wait_for = wait_for

    def spec(self, context: Any) -> dict[str, Any]:
        settings = temporal_settings()
        return {
            "address": settings.address,
            "namespace": settings.namespace,
            "ui_url": settings.ui_url,
            "workflow_id": self.workflow_id,
            "query": self.query,
            "wait_for": self.wait_for,
        }

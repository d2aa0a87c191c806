"""What an Airflow run asks Temporal for: the workflow id and input of each DAG, from the run's data interval.

Pure functions of plain values (no Airflow, no Temporal), so the rules are tested on their own. The id is the
work's own (aqi_airflow/work_ids.py, the same as TypeScript's core/work-ids/): the same interval always gives
the same workflow id, so re-runs and backfills start nothing new, and a Temporal Schedule or `airq` asking
for the same work joins the same run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from aqi_airflow.hours import HOUR, utc_hour
from aqi_airflow.work_ids import (
    data_quality_work_id,
    ingest_history_work_id,
    ingest_hourly_work_id,
    latest_monitor_work_id,
    monitor_champions_work_id,
    sensor_daily_rollup_work_id,
    training_work_id,
)


@dataclass(frozen=True)
class RunWindow:
    """The slice of time one DAG run covers: its data interval, or its run id when it has none."""

    dag_id: str
    run_id: str
    start: datetime | None
    end: datetime | None

    @property
    def has_interval(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True)
class WorkflowRequest:
    """One Temporal workflow start: which workflow, its id, its input and the task queue it runs on."""

    workflow: str
    workflow_id: str
    input: dict[str, Any]
    task_queue: str


def iso_hour(moment: datetime) -> str:
    """`2024-03-01T05:00:00Z`: the form every workflow input takes; refuses anything but a whole UTC hour."""
    return utc_hour(moment).strftime("%Y-%m-%dT%H:00:00Z")


def _compact(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H%M")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.:+-]", "_", text)


def workflow_id(window: RunWindow, suffix: str = "") -> str:
    """
    `airflow-aqi_x-2024-03-01T0500--2024-03-01T0600`: an id of the DAG run itself, for a DAG whose work has no
    shared id in work_ids.py (every DAG here has one). A run without an interval uses its run id instead.
    """
    if window.start is not None and window.end is not None:
        span = f"{_compact(window.start)}--{_compact(window.end)}"
    else:
        span = _safe(window.run_id)
    return f"airflow-{window.dag_id}-{span}{suffix}"


def _require_interval(window: RunWindow) -> tuple[datetime, datetime]:
    if window.start is None or window.end is None:
        raise ValueError(f"{window.dag_id} needs a data interval; trigger it with a logical date")
    return window.start, window.end


def hourly_request(window: RunWindow, locations: list[str], task_queue: str) -> WorkflowRequest:
    """`ingestHourly` for the interval's hour: the readings observed at the interval start."""
    start, end = _require_interval(window)
    if end - start != HOUR:
        raise ValueError(f"aqi_hourly covers one hour per run, got {start.isoformat()} .. {end.isoformat()}")
    places, hour = sorted(set(locations)), iso_hour(start)
    return WorkflowRequest(
        workflow="ingestHourly",
        workflow_id=ingest_hourly_work_id(places, hour),
        input={"locationIds": places, "hour": hour},
        task_queue=task_queue,
    )


def quality_request(window: RunWindow, locations: list[str], task_queue: str) -> WorkflowRequest:
    """`checkDataQuality` over [start, end) of the interval."""
    start, end = _require_interval(window)
    places, first, end_hour = sorted(set(locations)), iso_hour(start), iso_hour(end)
    return WorkflowRequest(
        workflow="checkDataQuality",
        workflow_id=data_quality_work_id(places, first, end_hour),
        input={"locationIds": places, "from": first, "to": end_hour},
        task_queue=task_queue,
    )


def sensor_rollup_request(window: RunWindow, task_queue: str) -> WorkflowRequest:
    """
    `sensorDailyRollup` for the interval's day: the interval must be one whole UTC day, from midnight. The run
    fires when the day ends; the workflow itself waits the 15 minutes the day's last readings need.
    """
    start, end = _require_interval(window)
    utc = start.astimezone(timezone.utc)
    if end - start != timedelta(days=1) or (utc.hour, utc.minute, utc.second, utc.microsecond) != (0, 0, 0, 0):
        raise ValueError(f"aqi_sensor_rollup covers one UTC day per run, got {start.isoformat()} .. {end.isoformat()}")
    day = utc.strftime("%Y-%m-%d")
    return WorkflowRequest(
        workflow="sensorDailyRollup",
        workflow_id=sensor_daily_rollup_work_id(day),
        input={"day": day},
        task_queue=task_queue,
    )


def monitoring_request(window: RunWindow, task_queue: str, window_days: int = 7) -> WorkflowRequest:
    """
    `monitorChampions` with its current window ending at the interval's end: each champion's training snapshot
    against the `window_days` before it. A run without an interval (a manual trigger) takes the newest stored
    hours, as the Temporal Schedule does.
    """
    if not 1 <= window_days <= 90:
        raise ValueError(f"aqi_monitoring: window_days must be 1 to 90, got {window_days}")
    request_input: dict[str, object] = {"windowDays": window_days}
    if window.end is not None:
        to = window.end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:00:00Z")
        request_input["to"] = to
        work_id = monitor_champions_work_id(window_days, to)
    else:
        work_id = latest_monitor_work_id(window.run_id)
    return WorkflowRequest(
        workflow="monitorChampions",
        workflow_id=work_id,
        input=request_input,
        task_queue=task_queue,
    )


def history_request(
    dag_id: str, first_hour: str, last_hour: str, locations: list[str], task_queue: str
) -> WorkflowRequest:
    """
    `ingestHistory` for [first_hour, last_hour] (inclusive, like `airq backfill`). An `@once` DAG has no
    useful interval: the id comes from the range and the locations, so asking for the same range twice (or
    `airq backfill` of it) joins the first run. `dag_id` is kept for the callers; the id does not use it.
    """
    first = iso_hour(_parse_hour(first_hour, "from"))
    last = iso_hour(_parse_hour(last_hour, "to"))
    if last < first:
        raise ValueError(f"'to' ({last}) is before 'from' ({first})")
    places = sorted(set(locations))
    return WorkflowRequest(
        workflow="ingestHistory",
        workflow_id=ingest_history_work_id(places, first, last),
        input={"locationIds": places, "from": first, "to": last},
        task_queue=task_queue,
    )


@dataclass(frozen=True)
class TrainingWindows:
    train_from: str
    validation_from: str
    test_from: str
    test_to: str


def training_windows(window: RunWindow, overrides: dict[str, str | None]) -> TrainingWindows:
    """
    The weekly interval is the holdout; the two weeks before it validate and the year before that trains.
    Any window given in the run's params replaces the derived one (e.g. to train on the bundled 2024 data).
    """
    derived: dict[str, str] = {}
    if window.start is not None and window.end is not None:
        derived = {
            "train_from": iso_hour(window.start - timedelta(days=379)),
            "validation_from": iso_hour(window.start - timedelta(days=14)),
            "test_from": iso_hour(window.start),
            "test_to": iso_hour(window.end),
        }
    chosen = {key: overrides.get(key) or derived.get(key) for key in TrainingWindows.__dataclass_fields__}
    missing = [key for key, value in chosen.items() if not value]
    if missing:
        raise ValueError(f"no data interval: give {', '.join(missing)} in the run's params")
    for key, value in chosen.items():
        iso_hour(_parse_hour(str(value), key))
    windows = TrainingWindows(**{key: str(value) for key, value in chosen.items()})
    if not windows.train_from < windows.validation_from < windows.test_from < windows.test_to:
        raise ValueError("windows must be in order: train_from < validation_from < test_from < test_to")
    return windows


def training_request(
    window: RunWindow,
    params: dict[str, Any],
    task_queue: str,
    training_task_queue: str,
) -> WorkflowRequest:
    """
    `trainingPipeline` for the interval. The id is the training's work id (work_ids.training_work_id: a hash
    of what shapes the model), so a run with other params (another algorithm, other windows) is a different
    pipeline, while a re-run of the same one, or `airq train` of the same request, joins it.
    """
    windows = training_windows(window, {key: params.get(key) for key in TrainingWindows.__dataclass_fields__})
    kind = str(params.get("kind") or "instant")
    if kind not in ("instant", "forecast"):
        raise ValueError(f"kind must be 'instant' or 'forecast', got {kind!r}")
    body: dict[str, Any] = {
        "kind": kind,
        "algorithm": str(params.get("algorithm") or "random-forest"),
        "locationIds": sorted(set(params.get("locations") or ["lyon"])),
        "trainFrom": windows.train_from,
        "validationFrom": windows.validation_from,
        "testFrom": windows.test_from,
        "testTo": windows.test_to,
        "trainingTaskQueue": training_task_queue,
    }
    if kind == "forecast":
        body["horizonHours"] = int(params.get("horizon_hours") or 24)
    if params.get("model_name"):
        body["modelName"] = str(params["model_name"])
    if params.get("approval_timeout"):
        body["approvalTimeout"] = str(params["approval_timeout"])
    return WorkflowRequest(
        workflow="trainingPipeline",
        workflow_id=training_work_id(body),
        input=body,
        task_queue=task_queue,
    )


def _parse_hour(text: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise ValueError(f"{name}: {text!r} is not an ISO date-time such as 2024-03-01T00:00:00Z") from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment

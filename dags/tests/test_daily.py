"""aqi_daily on the stack's running Airflow (scheduler, triggerer, LocalExecutor): a day with missing hours keeps
its sensor deferred (no worker slot) until a backfill lands them, then the quality check and a cheap training
run follow and the summary names the approval; a day that never completes fails naming its missing hours."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psycopg2

from conftest import STACK_ENV
from stack import backfill, delete_readings, query, reading_count, signal
from test_backfill import wait_for_dag

UTC = timezone.utc
SENSOR = "wait_for_day_stored"
# The bundled Lyon 2024 windows, quick boosted trees and a model name of its own (the champions stay untouched).
TRAINING = {
    "locations": ["lyon"],
    "algorithm": "boosted-trees",
    "model_name": "aqi-airflow-test-daily",
    "train_from": "2024-01-01T00:00:00Z",
    "validation_from": "2024-11-01T00:00:00Z",
    "test_from": "2024-12-01T00:00:00Z",
    "test_to": "2025-01-01T00:00:00Z",
    "approval_timeout": "10m",
}


def metadata(statement: str, *args: Any) -> list[tuple[Any, ...]]:
    """A query on the running Airflow's metadata database."""
    url = STACK_ENV["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("postgresql+psycopg2://", "postgresql://")
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(statement, args)
        return cursor.fetchall()


def backfill_day(day: str, conf: dict[str, Any], timeout_s: float = 300) -> str:
    """
    One aqi_daily run of the interval starting at `day` (a backfill: a manual trigger's interval is the one
    before now, whatever its logical date). Airflow takes one running backfill per DAG and closes a finished
    one on a later scheduler loop: until then it refuses another. Returns the run id.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        done = subprocess.run(
            [sys.executable, "-m", "airflow", "backfill", "create", "--dag-id", "aqi_daily", "--from-date", day,
             "--to-date", day, "--dag-run-conf", json.dumps(conf)],
            env=STACK_ENV, capture_output=True, text=True, timeout=300,
        )
        if done.returncode == 0:
            break
        output = done.stdout + done.stderr
        assert "AlreadyRunningBackfill" in output and time.monotonic() < deadline, output[-4000:]
        time.sleep(5)
    rows = until(
        f"the backfill run of {day}",
        lambda: metadata(
            "SELECT run_id FROM dag_run WHERE dag_id = 'aqi_daily' AND run_type = 'backfill'"
            " AND data_interval_start = %s",
            datetime.fromisoformat(day).replace(tzinfo=UTC),
        ),
        120,
    )
    return rows[0][0]


def task_state(run_id: str, task_id: str) -> str | None:
    rows = metadata(
        "SELECT state FROM task_instance WHERE dag_id = 'aqi_daily' AND run_id = %s AND task_id = %s", run_id, task_id
    )
    return rows[0][0] if rows else None


def until(what: str, check: Any, timeout_s: float, every_s: float = 2) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every_s)
    raise AssertionError(f"{what}: not within {timeout_s} s")


def run_state(run_id: str) -> str | None:
    rows = metadata("SELECT state FROM dag_run WHERE dag_id = 'aqi_daily' AND run_id = %s", run_id)
    return rows[0][0] if rows else None


def ended(run_id: str) -> str | None:
    state = run_state(run_id)
    return state if state in ("success", "failed") else None


def xcom(run_id: str, task_id: str) -> Any:
    rows = metadata(
        "SELECT value FROM xcom WHERE dag_id = 'aqi_daily' AND run_id = %s AND task_id = %s AND key = 'return_value'",
        run_id,
        task_id,
    )
    value = rows[0][0]
    return json.loads(value) if isinstance(value, str) else value


def task_log(run_id: str, task_id: str) -> str:
    logs = Path(STACK_ENV["AIRFLOW_HOME"]) / "logs"
    files = list(logs.glob(f"dag_id=aqi_daily/run_id={run_id}/task_id={task_id}/*.log"))
    return "\n".join(f.read_text() for f in files)


def test_a_missing_day_defers_until_a_backfill_lands_it_then_quality_and_training_follow() -> None:
    wait_for_dag("aqi_daily")
    first, last = datetime(2024, 5, 14, 0, tzinfo=UTC), datetime(2024, 5, 14, 23, tzinfo=UTC)
    delete_readings("lyon", first, last)
    run_id = backfill_day("2024-05-14", TRAINING)

    until("the sensor deferred", lambda: task_state(run_id, SENSOR) == "deferred", 180)
    # Deferred is no worker slot: the task is a row in the trigger table, run by the triggerer.
    (classpath,) = metadata(
        "SELECT t.classpath FROM task_instance ti JOIN trigger t ON t.id = ti.trigger_id"
        " WHERE ti.dag_id = 'aqi_daily' AND ti.run_id = %s AND ti.task_id = %s",
        run_id,
        SENSOR,
    )[0]
    assert classpath == "aqi_airflow.wait_trigger.DataWaitTrigger"
    time.sleep(5)
    assert task_state(run_id, SENSOR) == "deferred"
    assert task_state(run_id, "check_quality") is None or task_state(run_id, "check_quality") in ("none", "scheduled")

    backfill("lyon", first, last, "test-daily-backfill-2024-05-14")
    assert reading_count("lyon", first, last) == 24
    state = until("the run ended", lambda: ended(run_id), 900, 5)
    tasks = (SENSOR, "check_quality", "train_and_request_approval", "summarize_for_approval")
    assert state == "success", {task: task_state(run_id, task) for task in tasks}

    quality = xcom(run_id, "check_quality")
    assert quality["result"]["verdict"] in ("pass", "warn")
    training = xcom(run_id, "train_and_request_approval")
    workflow_id = training["workflow_id"]
    assert training["promotion"]["stage"] in ("awaiting_approval", "rejected_by_evaluation")
    summary = xcom(run_id, "summarize_for_approval")
    assert summary[0].startswith(f"training run {workflow_id}: ")
    assert any(line.startswith("holdout, candidate: MAE ") for line in summary)
    if training["promotion"]["stage"] == "awaiting_approval":
        assert any(f"npx airq approve {workflow_id}" in line for line in summary)
        assert any(training["url"] in line for line in summary)
        assert query(workflow_id, "promotionStatus")["stage"] == "awaiting_approval"
        rejection = {"approver": "airflow-daily-test", "decision": "reject", "comment": "test"}
        signal(workflow_id, "approvePromotion", rejection)


def test_a_day_that_never_completes_fails_naming_its_missing_hours() -> None:
    wait_for_dag("aqi_daily")
    first, last = datetime(2024, 5, 16, 3, tzinfo=UTC), datetime(2024, 5, 16, 4, tzinfo=UTC)
    delete_readings("lyon", first, last)
    try:
        run_id = backfill_day("2024-05-16", {**TRAINING, "stored_wait_minutes": 0.5})
        state = until("the run ended", lambda: ended(run_id), 600, 5)
        assert state == "failed"
        assert task_state(run_id, SENSOR) == "failed"
        assert task_state(run_id, "check_quality") in ("upstream_failed", None)
        log = until("the sensor's log", lambda: task_log(run_id, SENSOR), 60)
        assert "still not there after 0:00:30: lyon: 2024-05-16T03:00Z, 2024-05-16T04:00Z missing" in log
    finally:
        backfill("lyon", first, last, "test-daily-backfill-2024-05-16")

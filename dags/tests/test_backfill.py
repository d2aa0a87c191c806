"""`airflow backfill create` on the stack's running Airflow: one workflow per interval, and none the second time."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from conftest import STACK_ENV
from stack import delete_readings, describe, executions, forget, reading_count

UTC = timezone.utc
FIRST = datetime(2024, 3, 12, 0, tzinfo=UTC)
HOURS = 48  # two days of hourly intervals


def airflow(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "airflow", *args],
        env=STACK_ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"airflow {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def json_lines(output: str) -> list[dict]:
    """The JSON list an `airflow … -o json` command prints among its log lines."""
    for line in output.splitlines():
        if line.startswith("[{") or line.strip() == "[]":
            return json.loads(line)
    raise AssertionError(f"no JSON list in the output:\n{output[-2000:]}")


def create_when_the_last_backfill_is_closed(window: list[str], timeout_s: float = 120) -> None:
    """The scheduler closes a finished backfill on its next loop; until then Airflow refuses another one."""
    deadline = time.monotonic() + timeout_s
    while True:
        done = subprocess.run(
            [sys.executable, "-m", "airflow", "backfill", "create", "--dag-id", "aqi_hourly", *window],
            env=STACK_ENV,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode == 0:
            return
        output = done.stdout + done.stderr
        assert "AlreadyRunningBackfill" in output and time.monotonic() < deadline, output[-4000:]
        time.sleep(5)


def backfill_runs() -> list[dict]:
    runs = json_lines(airflow("dags", "list-runs", "aqi_hourly", "-o", "json", "--start-date", "2024-03-11"))
    return [r for r in runs if r["run_id"].startswith("backfill__") and "2024-03-1" in r["logical_date"]]


def wait_for_dag(dag_id: str, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if any(d["dag_id"] == dag_id for d in json_lines(airflow("dags", "list", "-o", "json"))):
            return
        time.sleep(3)
    raise AssertionError(f"the stack's Airflow did not list {dag_id} within {timeout_s} s")


def wait_for_runs(count: int, timeout_s: float = 900) -> list[dict]:
    deadline = time.monotonic() + timeout_s
    runs: list[dict] = []
    while time.monotonic() < deadline:
        runs = backfill_runs()
        if len(runs) == count and all(r["state"] in ("success", "failed") for r in runs):
            return runs
        time.sleep(5)
    states = sorted({r["state"] for r in runs})
    raise AssertionError(f"{len(runs)} backfill runs after {timeout_s} s (states {states}), expected {count} finished")


def test_a_two_day_backfill_starts_one_workflow_per_interval_and_a_second_one_none() -> None:
    last = FIRST + timedelta(hours=HOURS - 1)
    ids = [f"ingest-hourly-lyon-{(FIRST + timedelta(hours=h)):%Y-%m-%dT%H}" for h in range(HOURS)]
    wait_for_dag("aqi_hourly")
    assert backfill_runs() == [], "the stack's Airflow already has runs of this window: start from a fresh stack"
    for workflow_id in ids:
        forget(workflow_id)
    delete_readings("lyon", FIRST, last)
    window = ["--from-date", FIRST.isoformat(), "--to-date", last.isoformat()]

    airflow("backfill", "create", "--dag-id", "aqi_hourly", *window)
    runs = wait_for_runs(HOURS)
    assert [r["state"] for r in runs] == ["success"] * HOURS

    for workflow_id in ids:
        description, memo = describe(workflow_id)
        assert description.status is not None and description.status.name == "COMPLETED", workflow_id
        assert memo["airflow_run_id"].startswith("backfill__")
        assert executions(workflow_id) == 1
    assert reading_count("lyon", FIRST, last) == HOURS

    # Again: Airflow keeps the completed intervals, so no run and no workflow is added.
    create_when_the_last_backfill_is_closed(window)
    time.sleep(10)
    assert len(backfill_runs()) == HOURS
    assert all(executions(workflow_id) == 1 for workflow_id in ids)
    assert reading_count("lyon", FIRST, last) == HOURS

"""dag.test() of each sensor against the test stack: it waits (deferred, its trigger run in line) until what it
waits for lands, then succeeds; and it times out with a message naming what is still missing.

Each sensor runs alone in a one-task DAG made here; the platform's DAGs use them the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

import pendulum
import pytest
from airflow.sdk import DAG, CronDataIntervalTimetable

from aqi_airflow.sensors import SourceHourSensor, TemporalWorkflowSensor, WindowStoredSensor
from conftest import DAGS, stack_setting
from stack import backfill, delete_readings, forget, reading_count, start_workflow, terminate

UTC = timezone.utc
REPO = DAGS.parent
# The stack's replay port + 50: the port base ends in 72 (18172 plus the suite's offset).
SECOND_REPLAY_OFFSET = 50


def one_sensor_dag(dag_id: str, sensor: Callable[[], Any], cron: str = "0 0 * * *") -> DAG:
    """A DAG of one sensor, written to the metadata database as the DAG processor would (dag.test() needs that)."""
    from types import SimpleNamespace

    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import sync_bag_to_db

    schedule = CronDataIntervalTimetable(cron, timezone="UTC")
    with DAG(dag_id=dag_id, schedule=schedule, start_date=pendulum.datetime(2024, 1, 1, tz="UTC")) as dag:
        sensor()
    bag = SimpleNamespace(dags={dag_id: dag}, import_errors={}, bundle_path=None, dag_warnings=set())
    DagBundlesManager().sync_bundles_to_db()
    sync_bag_to_db(bag, "dags-folder", None)
    return dag


def run_dag(dag: DAG, logical_date: datetime, capfd: pytest.CaptureFixture[str]) -> tuple[str, float, str]:
    """Runs the DAG once; its state, how long it took and everything it printed."""
    capfd.readouterr()
    started = time.monotonic()
    run = dag.test(logical_date=logical_date)
    took = time.monotonic() - started
    out, err = capfd.readouterr()
    return run.state, took, out + err


def later(seconds: float, action: Callable[[], None]) -> threading.Thread:
    """Runs `action` in the background after `seconds`: the data landing while the sensor waits."""
    failures: list[BaseException] = []

    def go() -> None:
        time.sleep(seconds)
        try:
            action()
        except BaseException as err:  # noqa: BLE001 - re-raised by the test through the thread's result
            failures.append(err)

    thread = threading.Thread(target=go, daemon=True)
    thread.failures = failures  # type: ignore[attr-defined]
    thread.start()
    return thread


def joined(thread: threading.Thread) -> None:
    thread.join(timeout=300)
    assert not thread.failures, thread.failures  # type: ignore[attr-defined]


# --- WindowStoredSensor ---------------------------------------------------------------------------------------


def test_window_stored_waits_in_the_triggerer_until_a_backfill_lands_the_hours(airflow_db, capfd) -> None:
    first, last = datetime(2024, 4, 20, 3, tzinfo=UTC), datetime(2024, 4, 20, 5, tzinfo=UTC)
    delete_readings("lyon", first, last)
    dag = one_sensor_dag(
        "test_window_stored_waits",
        lambda: WindowStoredSensor(task_id="wait", locations=["lyon"], poke_interval=2, timeout=240),
    )
    landing = later(15, lambda: backfill("lyon", first, last, "test-sensors-backfill-2024-04-20"))
    state, took, log = run_dag(dag, datetime(2024, 4, 21, tzinfo=UTC), capfd)
    joined(landing)
    assert state == "success", log[-4000:]
    # Its first look found the hours missing and it deferred: the wait was the trigger's, not the worker's.
    assert "waiting up to 240 s in the triggerer: lyon: 2024-04-20T03:00Z..2024-04-20T05:00Z (3 h) missing" in log
    assert took >= 15
    assert reading_count("lyon", datetime(2024, 4, 20, tzinfo=UTC), datetime(2024, 4, 20, 23, tzinfo=UTC)) == 24


def test_window_stored_times_out_naming_the_missing_hours(airflow_db, capfd) -> None:
    first, last = datetime(2024, 4, 21, 3, tzinfo=UTC), datetime(2024, 4, 21, 4, tzinfo=UTC)
    delete_readings("lyon", first, last)
    try:
        dag = one_sensor_dag(
            "test_window_stored_times_out",
            lambda: WindowStoredSensor(task_id="wait", locations=["lyon"], poke_interval=2, timeout=5),
        )
        state, _, log = run_dag(dag, datetime(2024, 4, 22, tzinfo=UTC), capfd)
        assert state == "failed"
        assert "AirflowSensorTimeout" in log
        assert "still not there after 0:00:05: lyon: 2024-04-21T03:00Z, 2024-04-21T04:00Z missing" in log
    finally:
        backfill("lyon", first, last, "test-sensors-backfill-2024-04-21")


# --- SourceHourSensor -----------------------------------------------------------------------------------------


@pytest.fixture
def second_replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """
    A replay server of its own (the platform's, workers/replay-server.ts, over the bundled exports), with a
    clock the test sets: `restart(now)`. The sensor's `aqi_source` connection points at it.
    """
    stack_source = json.loads(stack_setting("AIRFLOW_CONN_AQI_SOURCE"))
    port = int(stack_source["port"]) + SECOND_REPLAY_OFFSET
    monkeypatch.setenv(
        "AIRFLOW_CONN_AQI_SOURCE", json.dumps({**stack_source, "host": "127.0.0.1", "port": port})
    )
    process: list[subprocess.Popen[bytes]] = []

    def stop() -> None:
        while process:
            child = process.pop()
            child.terminate()
            child.wait(timeout=30)

    def restart(now: str) -> None:
        stop()
        env = {**os.environ, "REPLAY_PORT": str(port), "REPLAY_NOW": now, "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn"}
        child = subprocess.Popen(
            ["node", "--import", "tsx", str(REPO / "workers" / "replay-server.ts")], cwd=REPO, env=env
        )
        process.append(child)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                import httpx

                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()["now"].startswith(now[:13]):
                    return
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.5)
        raise AssertionError(f"the second replay server did not answer on {port}")

    yield restart
    stop()


def test_source_hour_waits_until_the_source_publishes_the_hour(airflow_db, capfd, second_replay) -> None:
    # The source's clock at 04:00: the hour 05:00 is not published; the clock moves to 06:00 while the sensor waits.
    second_replay("2024-03-05T04:00:00Z")
    dag = one_sensor_dag(
        "test_source_hour_waits",
        lambda: SourceHourSensor(task_id="wait", locations=["lyon"], poke_interval=2, timeout=240),
        "0 * * * *",
    )
    moved = later(15, lambda: second_replay("2024-03-05T06:00:00Z"))
    state, took, log = run_dag(dag, datetime(2024, 3, 5, 6, tzinfo=UTC), capfd)
    joined(moved)
    assert state == "success", log[-4000:]
    assert (
        "waiting up to 240 s in the triggerer: lyon: 2024-03-05T05:00Z not published "
        "(the source's current hour is 2024-03-05T04:00Z)"
    ) in log
    assert took >= 15


def test_source_hour_times_out_naming_the_hours_the_source_has_not_published(airflow_db, capfd) -> None:
    # The stack's replay clock is 2024-12-31T23:00Z: June 2025 is still to come for it.
    dag = one_sensor_dag(
        "test_source_hour_times_out",
        lambda: SourceHourSensor(task_id="wait", locations=["lyon"], poke_interval=2, timeout=5),
        "0 * * * *",
    )
    state, _, log = run_dag(dag, datetime(2025, 6, 1, 12, tzinfo=UTC), capfd)
    assert state == "failed"
    assert "AirflowSensorTimeout" in log
    assert (
        "still not there after 0:00:05: lyon: 2025-06-01T11:00Z not published "
        "(the source's current hour is 2024-12-31T23:00Z)"
    ) in log


def test_source_hour_fails_at_once_for_a_location_the_platform_does_not_know(airflow_db, capfd) -> None:
    dag = one_sensor_dag(
        "test_source_hour_unknown",
        lambda: SourceHourSensor(task_id="wait", locations=["atlantis"], poke_interval=2, timeout=240),
        "0 * * * *",
    )
    state, took, log = run_dag(dag, datetime(2024, 3, 5, 6, tzinfo=UTC), capfd)
    assert state == "failed"
    assert "unknown location(s): atlantis" in log, log[-3000:]
    assert took < 60


# --- TemporalWorkflowSensor -----------------------------------------------------------------------------------


def test_workflow_sensor_waits_for_a_quality_check_to_be_started_and_complete(airflow_db, capfd) -> None:
    workflow_id = "test-sensors-quality-2024-04-23"
    forget(workflow_id)
    dag = one_sensor_dag(
        "test_workflow_sensor_waits",
        lambda: TemporalWorkflowSensor(task_id="wait", workflow_id=workflow_id, poke_interval=2, timeout=240),
    )
    body = {"locationIds": ["lyon"], "from": "2024-04-23T00:00:00Z", "to": "2024-04-24T00:00:00Z"}
    started = later(15, lambda: start_workflow("checkDataQuality", body, workflow_id))
    state, took, log = run_dag(dag, datetime(2024, 4, 24, tzinfo=UTC), capfd)
    joined(started)
    assert state == "success", log[-4000:]
    assert f"in the triggerer: no workflow {workflow_id} yet" in log
    assert took >= 15


def test_workflow_sensor_times_out_naming_the_query_nothing_matched(airflow_db, capfd) -> None:
    query = 'WorkflowId = "test-sensors-never-started"'
    dag = one_sensor_dag(
        "test_workflow_sensor_times_out",
        lambda: TemporalWorkflowSensor(task_id="wait", query=query, poke_interval=2, timeout=5),
    )
    state, _, log = run_dag(dag, datetime(2024, 4, 24, tzinfo=UTC), capfd)
    assert state == "failed"
    assert f"still not there after 0:00:05: no workflow matches {query!r} yet" in log


def test_workflow_sensor_fails_at_once_when_the_workflow_ended_without_completing(airflow_db, capfd) -> None:
    # A quality check of an unknown place, terminated at once: a workflow that closed and can never complete.
    workflow_id = "test-sensors-quality-terminated"
    forget(workflow_id)
    start_workflow(
        "checkDataQuality",
        {"locationIds": ["atlantis"], "from": "2024-04-23T00:00:00Z", "to": "2024-04-24T00:00:00Z"},
        workflow_id,
    )
    terminate(workflow_id, "stopped by the sensor test")
    dag = one_sensor_dag(
        "test_workflow_sensor_failed",
        lambda: TemporalWorkflowSensor(
            task_id="wait", query=f'WorkflowId = "{workflow_id}"', poke_interval=2, timeout=240
        ),
    )
    state, took, log = run_dag(dag, datetime(2024, 4, 24, tzinfo=UTC), capfd)
    assert state == "failed"
    assert f"{workflow_id} TERMINATED" in log, log[-3000:]
    assert took < 120

"""dag.test() of every DAG against the test stack: the workflow each run starts, what it stores, and that
running the same interval again starts no new workflow."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from airflow.dag_processing.dagbag import DagBag

from conftest import DAGS
from stack import delete_readings, describe, executions, forget, query, reading_count, result, signal, sql

UTC = timezone.utc


@pytest.fixture(scope="module")
def dags(airflow_db: None) -> DagBag:
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    return bag


def test_hourly_ingests_the_interval_hour_once(dags: DagBag) -> None:
    dag = dags.dags["aqi_hourly"]
    # A run at 06:00 covers the interval 05:00-06:00: the readings of 05:00, plus the two hours before it
    # that the source may have revised.
    first, hour = datetime(2024, 3, 5, 3, tzinfo=UTC), datetime(2024, 3, 5, 5, tzinfo=UTC)
    workflow_id = "ingest-hourly-lyon-2024-03-05T05"
    forget(workflow_id)
    delete_readings("lyon", first, hour)
    assert reading_count("lyon", first, hour) == 0

    run = dag.test(logical_date=hour + timedelta(hours=1))
    assert run.state == "success"
    description, memo = describe(workflow_id)
    assert description.status is not None and description.status.name == "COMPLETED"
    assert memo["airflow_run_id"] == run.run_id
    assert [t["source"] for t in memo["triggers"]] == ["airflow"]
    assert memo["triggers"][0]["detail"] == f"aqi_hourly/{run.run_id}"
    assert description.search_attributes["AqiTrigger"] == ["airflow"]
    outcome = result(workflow_id)
    assert (outcome["from"], outcome["to"]) == ("2024-03-05T03:00:00Z", "2024-03-05T05:00:00Z")
    assert outcome["persisted"] == 3
    assert reading_count("lyon", first, hour) == 3

    again = dag.test(logical_date=hour + timedelta(hours=1))
    assert again.state == "success"
    assert again.run_id != run.run_id
    assert executions(workflow_id) == 1
    assert describe(workflow_id)[1]["airflow_run_id"] == run.run_id
    assert reading_count("lyon", first, hour) == 3


def test_a_failed_workflow_fails_the_task_with_its_own_message(dags: DagBag) -> None:
    dag = dags.dags["aqi_hourly"]
    workflow_id = "ingest-hourly-atlantis-2024-03-07T00"
    forget(workflow_id)
    # The source sensor would refuse the unknown location first (test_sensors_stack.py): mark it done here.
    run = dag.test(
        logical_date=datetime(2024, 3, 7, 1, tzinfo=UTC),
        run_conf={"locations": ["atlantis"]},
        mark_success_pattern="wait_for_source_hour",
    )
    assert run.state == "failed"
    description, _ = describe(workflow_id)
    assert description.status is not None and description.status.name == "FAILED"
    # The event the trigger hands to the task carries the workflow's own failure, cause by cause.
    from aqi_airflow.temporal_calls import connect, settle
    from stack import run as run_async, temporal_target

    async def outcome() -> dict:
        address, namespace = temporal_target()
        client = await connect(address, namespace)
        return await settle(client.get_workflow_handle(workflow_id), "completion", 0.5)

    event = run_async(outcome())
    assert event["state"] == "failed"
    assert "atlantis" in event["message"]


def test_quality_reports_on_the_daily_interval(dags: DagBag) -> None:
    dag = dags.dags["aqi_quality"]
    workflow_id = "quality-lyon-2024-03-05T00-2024-03-06T00"
    forget(workflow_id)
    sql("DELETE FROM quality_reports WHERE run_id = %s", workflow_id)
    run = dag.test(logical_date=datetime(2024, 3, 6, tzinfo=UTC))
    assert run.state == "success"
    outcome = result(workflow_id)
    rows = sql("SELECT verdict, window_start, window_end, location_ids FROM quality_reports WHERE run_id = %s", workflow_id)
    assert len(rows) == 1
    verdict, start, end, locations = rows[0]
    assert (start, end) == (datetime(2024, 3, 5, tzinfo=UTC), datetime(2024, 3, 6, tzinfo=UTC))
    assert locations == ["lyon"]
    assert verdict == outcome["verdict"]

    assert dag.test(logical_date=datetime(2024, 3, 6, tzinfo=UTC)).state == "success"
    assert executions(workflow_id) == 1


def test_sensor_rollup_rolls_up_the_interval_day_once(dags: DagBag) -> None:
    dag = dags.dags["aqi_sensor_rollup"]
    # Not 2024-03-20: `airq sensors rollup --day 2024-03-20` (operator-cli.test.ts) names that same work now.
    workflow_id = "sensor-daily-rollup-2024-03-18"
    forget(workflow_id)
    run = dag.test(logical_date=datetime(2024, 3, 19, tzinfo=UTC))
    assert run.state == "success"
    outcome = result(workflow_id)
    assert outcome["day"] == "2024-03-18"
    assert outcome["means"]["day"] == outcome["checks"]["day"] == "2024-03-18"

    assert dag.test(logical_date=datetime(2024, 3, 19, tzinfo=UTC)).state == "success"
    assert executions(workflow_id) == 1


def test_history_backfills_the_requested_range(dags: DagBag) -> None:
    dag = dags.dags["aqi_history"]
    first, last = datetime(2024, 4, 10, 0, tzinfo=UTC), datetime(2024, 4, 10, 23, tzinfo=UTC)
    workflow_id = "ingest-history-lyon-2024-04-10T00-2024-04-10T23"
    forget(workflow_id)
    delete_readings("lyon", first, last)
    conf = {"from": "2024-04-10T00:00:00Z", "to": "2024-04-10T23:00:00Z", "locations": ["lyon"]}
    run = dag.test(logical_date=datetime(2024, 4, 11, tzinfo=UTC), run_conf=conf)
    assert run.state == "success"
    assert result(workflow_id)["rowsWritten"] == 24
    assert reading_count("lyon", first, last) == 24

    assert dag.test(logical_date=datetime(2024, 4, 12, tzinfo=UTC), run_conf=conf).state == "success"
    assert executions(workflow_id) == 1
    assert reading_count("lyon", first, last) == 24


def test_training_hands_over_to_the_human_approval_in_temporal(dags: DagBag) -> None:
    dag = dags.dags["aqi_training"]
    # The bundled Lyon 2024 windows, quick boosted trees, and a model name of its own so the platform's
    # champions stay untouched.
    conf = {
        "algorithm": "boosted-trees",
        "model_name": "aqi-airflow-test-instant",
        "train_from": "2024-01-01T00:00:00Z",
        "validation_from": "2024-11-01T00:00:00Z",
        "test_from": "2024-12-01T00:00:00Z",
        "test_to": "2025-01-01T00:00:00Z",
        "approval_timeout": "10m",
    }
    logical = datetime(2025, 1, 5, tzinfo=UTC)
    prefix = "train-aqi-airflow-test-instant-2025-01-01-"
    for stale in {w for w in _training_ids() if w.startswith(prefix)}:
        forget(stale)
    run = dag.test(logical_date=logical, run_conf=conf)
    assert run.state == "success"
    ids = [w for w in _training_ids() if w.startswith(prefix)]
    assert len(ids) == 1
    workflow_id = ids[0]
    # The Airflow task is done while the pipeline still waits for a person.
    description, memo = describe(workflow_id)
    assert description.status is not None and description.status.name == "RUNNING"
    assert memo["airflow_run_id"] == run.run_id
    assert query(workflow_id, "promotionStatus")["stage"] == "awaiting_approval"

    signal(workflow_id, "approvePromotion", {"approver": "airflow-dag-test", "decision": "reject", "comment": "test"})
    assert result(workflow_id)["outcome"] == "rejected"
    assert dag.test(logical_date=logical, run_conf=conf).state == "success"
    assert executions(workflow_id) == 1


def _training_ids() -> list[str]:
    from stack import _client, run as run_async

    async def go() -> list[str]:
        client = await _client()
        return [w.id async for w in client.list_workflows('WorkflowType = "trainingPipeline"')]

    return run_async(go())

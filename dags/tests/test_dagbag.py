"""Every DAG imports cleanly, without touching Temporal at parse time, and is wired as the docs say."""

from __future__ import annotations

import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk import CronDataIntervalTimetable

from aqi_airflow.operator import TemporalWorkflowOperator
from aqi_airflow.sensors import SourceHourSensor, WindowStoredSensor
from conftest import DAGS


@pytest.fixture(scope="module")
def dagbag(monkeypatch_module: pytest.MonkeyPatch) -> DagBag:
    import temporalio.client

    async def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a DAG connected to Temporal while being parsed")

    monkeypatch_module.setattr(temporalio.client.Client, "connect", refuse)
    return DagBag(dag_folder=str(DAGS))


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def test_every_dag_imports_without_errors(dagbag: DagBag) -> None:
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == [
        "aqi_daily",
        "aqi_history",
        "aqi_hourly",
        "aqi_monitoring",
        "aqi_quality",
        "aqi_sensor_rollup",
        "aqi_training",
    ]


@pytest.mark.parametrize(
    ("dag_id", "cron"),
    [
        ("aqi_hourly", "0 * * * *"),
        ("aqi_daily", "0 0 * * *"),
        ("aqi_quality", "0 0 * * *"),
        ("aqi_sensor_rollup", "0 0 * * *"),
        ("aqi_monitoring", "0 0 * * *"),
        ("aqi_training", "0 0 * * 0"),
    ],
)
def test_interval_dags_have_real_data_intervals(dagbag: DagBag, dag_id: str, cron: str) -> None:
    dag = dagbag.dags[dag_id]
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    assert dag.timetable.expression == cron


def chain(dag) -> list[tuple[str, type]]:
    """The DAG's tasks in dependency order, each with its type; asserts they form one line."""
    order = [t for t in dag.tasks if not t.upstream_task_ids]
    assert len(order) == 1, dag.dag_id
    while order[-1].downstream_task_ids:
        (next_id,) = order[-1].downstream_task_ids
        order.append(dag.task_dict[next_id])
    assert len(order) == len(dag.tasks), dag.dag_id
    return [(t.task_id, type(t)) for t in order]


def test_each_dag_waits_for_its_data_then_runs_its_temporal_tasks(dagbag: DagBag) -> None:
    temporal = TemporalWorkflowOperator
    assert chain(dagbag.dags["aqi_hourly"]) == [("wait_for_source_hour", SourceHourSensor), ("ingest_hour", temporal)]
    assert chain(dagbag.dags["aqi_monitoring"]) == [
        ("wait_for_day_stored", WindowStoredSensor),
        ("monitor_champions", temporal),
    ]
    assert chain(dagbag.dags["aqi_sensor_rollup"]) == [
        ("wait_for_reference_day", WindowStoredSensor),
        ("roll_up_sensors", temporal),
    ]
    daily = chain(dagbag.dags["aqi_daily"])
    assert [task_id for task_id, _ in daily] == [
        "wait_for_day_stored",
        "check_quality",
        "train_and_request_approval",
        "summarize_for_approval",
    ]
    assert [kind for _, kind in daily[:3]] == [WindowStoredSensor, temporal, temporal]
    for dag_id in ("aqi_quality", "aqi_training", "aqi_history"):
        assert [type(t) for t in dagbag.dags[dag_id].tasks] == [temporal], dag_id
    assert dagbag.dags["aqi_training"].tasks[0].wait_for == "approval"
    assert dagbag.dags["aqi_daily"].task_dict["train_and_request_approval"].wait_for == "approval"
    assert set(dagbag.dags["aqi_history"].params.keys()) == {"from", "to", "locations"}
    assert dagbag.dags["aqi_sensor_rollup"].max_active_runs == 1

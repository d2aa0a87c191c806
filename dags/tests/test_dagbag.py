"""Every DAG imports cleanly, without touching Temporal at parse time, and is wired as the docs say."""

from __future__ import annotations

import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk import CronDataIntervalTimetable

from aqi_airflow.operator import TemporalWorkflowOperator
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


def test_each_dag_is_one_temporal_task(dagbag: DagBag) -> None:
    for dag_id, dag in dagbag.dags.items():
        assert [type(t) for t in dag.tasks] == [TemporalWorkflowOperator], dag_id
    assert dagbag.dags["aqi_training"].tasks[0].wait_for == "approval"
    assert set(dagbag.dags["aqi_history"].params.keys()) == {"from", "to", "locations"}
    assert dagbag.dags["aqi_sensor_rollup"].max_active_runs == 1

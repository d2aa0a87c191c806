"""The rules that turn an Airflow run into a Temporal workflow request (pure: no Airflow, no Temporal)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from temporalio.exceptions import ApplicationError

from aqi_airflow.runs import (
    RunWindow,
    history_request,
    hourly_request,
    quality_request,
    monitoring_request,
    sensor_rollup_request,
    training_request,
    training_windows,
    workflow_id,
)
from aqi_airflow.settings import resolve_settings
from aqi_airflow.temporal_calls import failure_message

UTC = timezone.utc


def window(dag_id: str, start: datetime | None, hours: int = 1, run_id: str = "manual__x") -> RunWindow:
    end = None if start is None else start + timedelta(hours=hours)
    return RunWindow(dag_id=dag_id, run_id=run_id, start=start, end=end)


def test_the_same_interval_always_names_the_same_workflow() -> None:
    start = datetime(2024, 3, 5, 5, tzinfo=UTC)
    first = hourly_request(window("aqi_hourly", start, run_id="scheduled__a"), ["lyon"], "q").workflow_id
    again = hourly_request(window("aqi_hourly", start, run_id="backfill__b"), ["lyon"], "q").workflow_id
    # The work's id, as `airq ingest-hour --hour 2024-03-05T05:00:00Z --locations lyon` and the schedule name it.
    assert first == again == "ingest-hourly-lyon-2024-03-05T05"
    assert hourly_request(window("aqi_hourly", start + timedelta(hours=1)), ["lyon"], "q").workflow_id != first


def test_a_run_without_an_interval_is_named_after_its_run_id() -> None:
    assert workflow_id(window("aqi_hourly", None, run_id="manual__2026-11-22T10:00:00+00:00")) == (
        "airflow-aqi_hourly-manual__2026-11-22T10:00:00+00:00"
    )
    with pytest.raises(ValueError, match="needs a data interval"):
        hourly_request(window("aqi_hourly", None), ["lyon"], "q")


def test_hourly_ingests_the_hour_the_interval_starts_with() -> None:
    request = hourly_request(window("aqi_hourly", datetime(2024, 3, 5, 5, tzinfo=UTC)), ["paris", "lyon", "lyon"], "q")
    assert request.workflow == "ingestHourly"
    assert request.input == {"locationIds": ["lyon", "paris"], "hour": "2024-03-05T05:00:00Z"}
    assert request.task_queue == "q"
    with pytest.raises(ValueError, match="one hour per run"):
        hourly_request(window("aqi_hourly", datetime(2024, 3, 5, 5, tzinfo=UTC), hours=2), ["lyon"], "q")


def test_quality_covers_the_whole_interval() -> None:
    request = quality_request(window("aqi_quality", datetime(2024, 3, 5, tzinfo=UTC), hours=24), ["lyon"], "q")
    assert request.input == {"locationIds": ["lyon"], "from": "2024-03-05T00:00:00Z", "to": "2024-03-06T00:00:00Z"}
    assert request.workflow_id == "quality-lyon-2024-03-05T00-2024-03-06T00"


def test_sensor_rollup_takes_the_interval_day() -> None:
    request = sensor_rollup_request(window("aqi_sensor_rollup", datetime(2024, 2, 12, tzinfo=UTC), hours=24), "q")
    assert request.workflow == "sensorDailyRollup"
    assert request.input == {"day": "2024-02-12"}
    assert request.workflow_id == "sensor-daily-rollup-2024-02-12"
    assert request.task_queue == "q"
    with pytest.raises(ValueError, match="one UTC day"):
        sensor_rollup_request(window("aqi_sensor_rollup", datetime(2024, 2, 12, 1, tzinfo=UTC), hours=24), "q")
    with pytest.raises(ValueError, match="one UTC day"):
        sensor_rollup_request(window("aqi_sensor_rollup", datetime(2024, 2, 12, tzinfo=UTC), hours=48), "q")
    with pytest.raises(ValueError, match="needs a data interval"):
        sensor_rollup_request(window("aqi_sensor_rollup", None), "q")


def test_history_ids_come_from_the_range_and_the_locations() -> None:
    one = history_request("aqi_history", "2024-04-10T00:00:00Z", "2024-04-10T23:00:00Z", ["paris", "lyon"], "q")
    two = history_request("aqi_history", "2024-04-10T00:00:00+00:00", "2024-04-10T23:00:00Z", ["lyon", "paris"], "q")
    assert one.workflow_id == two.workflow_id == "ingest-history-lyon+paris-2024-04-10T00-2024-04-10T23"
    assert one.input["from"] == "2024-04-10T00:00:00Z"
    with pytest.raises(ValueError, match="before"):
        history_request("aqi_history", "2024-04-10T00:00:00Z", "2024-04-09T00:00:00Z", ["lyon"], "q")
    with pytest.raises(ValueError, match="not an ISO date-time"):
        history_request("aqi_history", "yesterday", "2024-04-09T00:00:00Z", ["lyon"], "q")
    with pytest.raises(ValueError, match="not on the hour"):
        history_request("aqi_history", "2024-04-10T00:30:00Z", "2024-04-10T23:00:00Z", ["lyon"], "q")


def test_training_windows_follow_the_week_unless_the_params_say_otherwise() -> None:
    week = window("aqi_training", datetime(2024, 12, 1, tzinfo=UTC), hours=24 * 7)
    derived = training_windows(week, {})
    assert (derived.test_from, derived.test_to) == ("2024-12-01T00:00:00Z", "2024-12-08T00:00:00Z")
    assert derived.validation_from == "2024-11-17T00:00:00Z"
    assert derived.train_from < derived.validation_from
    overridden = training_windows(week, {"train_from": "2024-01-01T00:00:00Z"})
    assert overridden.train_from == "2024-01-01T00:00:00Z"
    with pytest.raises(ValueError, match="in order"):
        training_windows(week, {"validation_from": "2024-12-05T00:00:00Z"})
    with pytest.raises(ValueError, match="give train_from"):
        training_windows(window("aqi_training", None), {})


def test_training_requests_with_other_params_are_other_pipelines() -> None:
    week = window("aqi_training", datetime(2024, 12, 1, tzinfo=UTC), hours=24 * 7)
    linear = training_request(week, {"algorithm": "linear"}, "pipeline", "training")
    forest = training_request(week, {"algorithm": "random-forest"}, "pipeline", "training")
    assert linear.workflow_id != forest.workflow_id
    assert linear.workflow_id == training_request(week, {"algorithm": "linear"}, "pipeline", "training").workflow_id
    assert linear.workflow_id.startswith("train-aqi-eaqi-instant-2024-12-08-")
    # The approval's deadline decides about the model; it does not make it other work.
    assert training_request(week, {"algorithm": "linear", "approval_timeout": "1h"}, "p", "t").workflow_id == (
        linear.workflow_id
    )
    assert linear.task_queue == "pipeline"
    assert linear.input["trainingTaskQueue"] == "training"
    assert "horizonHours" not in linear.input
    forecast = training_request(week, {"kind": "forecast", "model_name": "m"}, "pipeline", "training")
    assert forecast.input["horizonHours"] == 24
    assert forecast.input["modelName"] == "m"
    with pytest.raises(ValueError, match="kind"):
        training_request(week, {"kind": "weekly"}, "pipeline", "training")


def test_settings_prefer_the_connection_then_variables_then_defaults() -> None:
    assert resolve_settings(None, lambda _name: None).address == "127.0.0.1:7233"
    from_variables = resolve_settings(None, {"aqi_temporal_namespace": "ops"}.get)
    assert from_variables.namespace == "ops"
    connection = SimpleNamespace(
        host="temporal", port=7234, schema="aqi-prod", extra_dejson={"task_queue": "tq", "ui_url": "http://ui:8233/"}
    )
    settings = resolve_settings(connection, {"aqi_temporal_namespace": "ops"}.get)
    assert (settings.address, settings.namespace, settings.task_queue) == ("temporal:7234", "aqi-prod", "tq")
    assert settings.workflow_url("w-1") == "http://ui:8233/namespaces/aqi-prod/workflows/w-1"


def test_failure_messages_follow_the_cause_chain() -> None:
    inner = ApplicationError("unknown location(s): atlantis", type="UNKNOWN_LOCATION")
    outer = ApplicationError("activity publishRawReadings failed")
    outer.__cause__ = inner
    assert failure_message(outer) == "activity publishRawReadings failed: unknown location(s): atlantis"


def test_monitoring_ends_the_window_at_the_interval_end() -> None:
    request = monitoring_request(window("aqi_monitoring", datetime(2024, 12, 31, tzinfo=UTC), hours=24), "q")
    assert request.workflow == "monitorChampions"
    assert request.input == {"windowDays": 7, "to": "2025-01-01T00:00:00Z"}
    assert request.workflow_id == "monitor-champions-7d-2025-01-01T00"
    latest = monitoring_request(window("aqi_monitoring", None, run_id="manual__2024-12-31T10:00:00+00:00"), "q", 14)
    assert latest.input == {"windowDays": 14}
    assert latest.workflow_id == "monitor-champions-latest-manual__2024-12-31T10:00:00+00:00"
    with pytest.raises(ValueError, match="window_days"):
        monitoring_request(window("aqi_monitoring", None), "q", 0)

"""The sensors' pure parts: which hours are missing and how they are named, how the source's answer is read,
how a wait ends in the trigger (done, failed, timed out), and the approval summary."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from airflow.sdk.exceptions import AirflowFailException, AirflowSensorTimeout

from aqi_airflow import data_checks, wait_trigger
from aqi_airflow.approval import approval_summary
from aqi_airflow.connections import postgres_params, source_url
from aqi_airflow.data_checks import Look
from aqi_airflow.hours import describe_missing, interval_hours, missing_hours
from aqi_airflow.sensors import TemporalWorkflowSensor, WindowStoredSensor
from aqi_airflow.source_hours import Place, source_params, unpublished_hours
from aqi_airflow.wait_trigger import DataWaitTrigger

UTC = timezone.utc
DAY = datetime(2024, 3, 5, tzinfo=UTC)


def hour(h: int) -> datetime:
    return DAY + timedelta(hours=h)


def test_an_interval_covers_its_whole_hours_and_refuses_partial_ones() -> None:
    assert interval_hours(DAY, DAY + timedelta(days=1)) == [hour(h) for h in range(24)]
    assert interval_hours(hour(5), hour(6)) == [hour(5)]
    with pytest.raises(ValueError, match="not on the hour"):
        interval_hours(DAY + timedelta(minutes=30), hour(2))


def test_missing_hours_are_every_hour_a_location_lacks() -> None:
    hours = [hour(h) for h in range(6)]
    present = {("lyon", h) for h in hours if h not in (hour(3), hour(4))} | {("paris", h) for h in hours}
    assert missing_hours(["paris", "lyon", "lyon"], hours, present) == {"lyon": [hour(3), hour(4)]}
    assert missing_hours(["paris"], hours, present) == {}


def test_the_message_names_each_missing_hour_and_runs_of_three_as_ranges() -> None:
    assert describe_missing({"lyon": [hour(3), hour(4)]}) == "lyon: 2024-03-05T03:00Z, 2024-03-05T04:00Z missing"
    whole_day = {"paris": [hour(h) for h in range(24)], "lyon": [hour(1), hour(7), hour(8), hour(9)]}
    assert describe_missing(whole_day, "not published") == (
        "lyon: 2024-03-05T01:00Z, 2024-03-05T07:00Z..2024-03-05T09:00Z (3 h) not published; "
        "paris: 2024-03-05T00:00Z..2024-03-05T23:00Z (24 h) not published"
    )


LYON, PARIS = Place("lyon", 45.76, 4.84), Place("paris", 48.86, 2.35)


def test_the_source_is_asked_for_the_hours_and_its_current_hour_in_one_call() -> None:
    params = source_params([LYON, PARIS], [hour(5), hour(6)])
    assert params["latitude"] == "45.76,48.86" and params["longitude"] == "4.84,2.35"
    assert (params["start_hour"], params["end_hour"]) == ("2024-03-05T05:00", "2024-03-05T06:00")
    assert params["current"] and "pm2_5" in params["hourly"]


def answer(current: str, times: list[str], pm2_5: list[float | None]) -> dict:
    return {"current": {"time": current}, "hourly": {"time": times, "pm2_5": pm2_5}}


def test_an_hour_is_published_once_it_is_past_the_source_clock_and_has_a_value() -> None:
    hours = [hour(5), hour(6)]
    times = ["2024-03-05T05:00", "2024-03-05T06:00"]
    both = [answer("2024-03-05T06:00", times, [3.0, 4.0]), answer("2024-03-05T09:00", times, [1.0, 2.0])]
    assert unpublished_hours(both, [LYON, PARIS], hours) == ({}, "the source's current hour is 2024-03-05T06:00Z")
    # The live API answers forecast hours too: an hour after the source's current hour is not published yet.
    early = [answer("2024-03-05T05:00", times, [3.0, 4.0]), answer("2024-03-05T09:00", times, [1.0, None])]
    missing, note = unpublished_hours(early, [LYON, PARIS], hours)
    assert missing == {"lyon": [hour(6)], "paris": [hour(6)]}
    assert note == "the source's current hour is 2024-03-05T05:00Z"
    one = answer("2024-03-05T09:00", times, [1.0, 2.0])
    assert unpublished_hours(one, [LYON], hours)[0] == {}


def test_a_refusal_leaves_every_hour_unpublished_with_its_reason() -> None:
    refusal = {"error": True, "reason": "2023-01-01T00:00 is outside the data held"}
    missing, note = unpublished_hours(refusal, [LYON], [hour(1)])
    assert missing == {"lyon": [hour(1)]}
    assert "outside the data held" in note


def test_connections_become_driver_arguments_and_a_base_url() -> None:
    word = "-".join(["not", "a", "real", "one"])
    pg = SimpleNamespace(host="db", port=5433, login="aqi", password=word, schema="aqi")
    assert postgres_params(pg) == {"host": "db", "port": 5433, "user": "aqi", "password": word, "database": "aqi"}
    assert source_url(SimpleNamespace(schema="http", host="127.0.0.1", port=8100)) == "http://127.0.0.1:8100"
    live = SimpleNamespace(schema=None, host="air-quality-api.open-meteo.com", port=None)
    assert source_url(live) == "https://air-quality-api.open-meteo.com"


def run_trigger(trigger: DataWaitTrigger) -> dict:
    async def first_event() -> dict:
        async for event in trigger.run():
            return event.payload
        raise AssertionError("the trigger ended without an event")

    return asyncio.run(first_event())


@pytest.fixture
def scripted_check(monkeypatch: pytest.MonkeyPatch):
    """A check answering the looks it is given, in order (the last one again once they run out)."""
    monkeypatch.setattr(wait_trigger, "RESUME_GRACE_SECONDS", 0)
    looks: list[Look] = []
    calls: list[dict] = []

    async def scripted(spec: dict) -> Look:
        calls.append(spec)
        return looks.pop(0) if len(looks) > 1 else looks[0]

    monkeypatch.setitem(data_checks.CHECKS, "scripted", scripted)
    return looks, calls


def test_the_trigger_keeps_looking_until_the_check_is_done(scripted_check) -> None:
    looks, calls = scripted_check
    looks += [Look(False, "lyon: 2024-03-05T03:00Z missing"), Look(True, "24 h stored", xcom={"hours": 24})]
    event = run_trigger(DataWaitTrigger("scripted", {"x": 1}, deadline=_in(60), poll_seconds=0.01))
    assert event == {"state": "done", "detail": "24 h stored", "xcom": {"hours": 24}}
    assert calls == [{"x": 1}, {"x": 1}]


def test_the_trigger_times_out_with_what_is_still_missing(scripted_check) -> None:
    looks, _ = scripted_check
    looks.append(Look(False, "lyon: 2024-03-05T03:00Z, 2024-03-05T04:00Z missing"))
    event = run_trigger(DataWaitTrigger("scripted", {}, deadline=_in(0.05), poll_seconds=0.01))
    assert event == {"state": "timeout", "detail": "lyon: 2024-03-05T03:00Z, 2024-03-05T04:00Z missing"}


def test_the_trigger_stops_at_once_on_a_wait_that_can_never_end(scripted_check) -> None:
    looks, calls = scripted_check
    looks.append(Look(False, "w-1 FAILED: quality failed", fatal=True))
    event = run_trigger(DataWaitTrigger("scripted", {}, deadline=_in(60), poll_seconds=0.01))
    assert (event["state"], event["detail"], len(calls)) == ("failed", "w-1 FAILED: quality failed", 1)


def test_a_failing_check_is_a_look_that_is_not_done(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(_spec: dict) -> Look:
        raise ConnectionRefusedError("database restarting")

    monkeypatch.setitem(data_checks.CHECKS, "broken", broken)
    result = asyncio.run(data_checks.look("broken", {}))
    assert not result.done and not result.fatal and "database restarting" in result.detail


def test_the_trigger_serializes_to_what_rebuilds_it() -> None:
    trigger = DataWaitTrigger("window_stored", {"locations": ["lyon"]}, deadline=1234.5, poll_seconds=30)
    path, kwargs = trigger.serialize()
    assert path == "aqi_airflow.wait_trigger.DataWaitTrigger"
    assert DataWaitTrigger(**kwargs).serialize() == (path, kwargs)


def test_the_sensor_ends_as_the_trigger_says() -> None:
    sensor = WindowStoredSensor(task_id="wait", timeout=120, timeout_param="stored_wait_minutes")
    context = {"params": {"stored_wait_minutes": None}}
    assert sensor.execute_complete(context, {"state": "done", "detail": "ok", "xcom": {"hours": 24}}) == {"hours": 24}
    with pytest.raises(AirflowSensorTimeout, match=r"after 0:02:00: lyon: 2024-03-05T03:00Z missing"):
        sensor.execute_complete(context, {"state": "timeout", "detail": "lyon: 2024-03-05T03:00Z missing"})
    with pytest.raises(AirflowFailException, match="unknown location"):
        sensor.execute_complete(context, {"state": "failed", "detail": "unknown location(s): atlantis"})
    assert sensor.wait_seconds({"params": {"stored_wait_minutes": 1.5}}) == 90


def test_a_workflow_sensor_needs_exactly_one_way_to_find_its_workflow() -> None:
    with pytest.raises(ValueError, match="either workflow_id or query"):
        TemporalWorkflowSensor(task_id="a")
    with pytest.raises(ValueError, match="either workflow_id or query"):
        TemporalWorkflowSensor(task_id="b", workflow_id="w", query="AqiPipeline = 'x'")
    with pytest.raises(ValueError, match="wait_for"):
        TemporalWorkflowSensor(task_id="c", workflow_id="w", wait_for="closed")


def test_the_summary_shows_the_holdout_metrics_and_where_to_approve() -> None:
    metrics = {"n": 744, "mae": 3.21, "rmse": 4.5, "r2": 0.81}
    outcome = {
        "workflow_id": "airflow-aqi_daily-x",
        "url": "http://ui/namespaces/aqi/workflows/airflow-aqi_daily-x",
        "promotion": {
            "stage": "awaiting_approval",
            "modelName": "aqi-eaqi-instant",
            "version": "3",
            "deadline": "2025-01-08T00:00:00Z",
            "evaluation": {
                "candidate": metrics,
                "baseline": {"algorithm": "linear", "metrics": {**metrics, "mae": 5.0}},
                "gate": {"passed": True, "reasons": ["beats the baseline"]},
            },
        },
    }
    lines = approval_summary(outcome, "http://api:8000/")
    text = "\n".join(lines)
    assert lines[0] == "training run airflow-aqi_daily-x: awaiting_approval; model aqi-eaqi-instant version 3"
    assert "holdout, candidate: MAE 3.210, RMSE 4.500, R² 0.810 (n=744)" in text
    assert "holdout, baseline (linear): MAE 5.000" in text
    assert "gate passed: beats the baseline" in text
    assert "http://ui/namespaces/aqi/workflows/airflow-aqi_daily-x" in text
    assert "npx airq approve airflow-aqi_daily-x" in text
    assert "POST http://api:8000/pipelines/airflow-aqi_daily-x/approval" in text
    rejected = approval_summary({**outcome, "promotion": {"stage": "rejected_by_evaluation"}}, "http://api")
    assert "npx airq approve" not in "\n".join(rejected)


def _in(seconds: float) -> float:
    import time

    return time.time() + seconds

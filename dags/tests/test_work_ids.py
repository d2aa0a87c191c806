"""The shared work-id cases: Python writes the same ids as TypeScript (core/work-ids/work-ids.test.ts reads
the same file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aqi_airflow.work_ids import (
    canonical_json,
    data_quality_work_id,
    fnv1a,
    ingest_history_work_id,
    ingest_hourly_work_id,
    latest_monitor_work_id,
    monitor_champions_work_id,
    sensor_daily_rollup_work_id,
    training_work_id,
)

CASES = json.loads((Path(__file__).resolve().parents[2] / "test" / "fixtures" / "work-ids" / "cases.json").read_text())[
    "cases"
]


def work_id_of(work: str, given: dict[str, Any]) -> str:
    if work == "ingestHourly":
        return ingest_hourly_work_id(given["locationIds"], given["hour"])
    if work == "ingestHistory":
        return ingest_history_work_id(given["locationIds"], given["from"], given["to"], bool(given.get("dryRun")))
    if work == "checkDataQuality":
        return data_quality_work_id(given["locationIds"], given["from"], given["to"])
    if work == "sensorDailyRollup":
        return sensor_daily_rollup_work_id(given["day"])
    if work == "monitorChampions":
        return monitor_champions_work_id(given["windowDays"], given["to"])
    if work == "monitorChampionsLatest":
        return latest_monitor_work_id(given["stamp"])
    if work == "trainingPipeline":
        return training_work_id(given)
    raise AssertionError(f"no work id function for {work}")


def test_the_shared_cases_are_many_and_cover_every_workflow() -> None:
    assert {case["work"] for case in CASES} >= {
        "ingestHourly",
        "ingestHistory",
        "checkDataQuality",
        "sensorDailyRollup",
        "monitorChampions",
        "trainingPipeline",
    }


@pytest.mark.parametrize("case", CASES, ids=[case["note"] for case in CASES])
def test_python_writes_the_id_of_each_shared_case(case: dict[str, Any]) -> None:
    assert work_id_of(case["work"], case["input"]) == case["id"]


def test_fnv1a_hashes_utf16_code_units_as_javascript_does() -> None:
    # 'é' is one code unit, '☀' one, '𝄞' two (a surrogate pair): the same as charCodeAt walks them.
    assert fnv1a("") == "811c9dc5"
    assert fnv1a("a") == "e40c292c"
    assert fnv1a("é☀𝄞") == "8c09a702"  # core/fnv1a.ts on the same text
    assert fnv1a("lyon+paris") != fnv1a("paris+lyon")


def test_canonical_json_writes_whole_floats_as_integers_and_sorts_keys() -> None:
    assert canonical_json({"b": 1.0, "a": [0.5, {"d": "é", "c": None}]}) == '{"a":[0.5,{"c":null,"d":"é"}],"b":1}'

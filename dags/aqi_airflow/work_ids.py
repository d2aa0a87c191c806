"""One workflow id per piece of work, whoever starts it: the Python side of core/work-ids/ (TypeScript).

Derived from the workflow, its places, its window and its parameters alone, so an Airflow run, a Temporal
Schedule and `airq` asking for the same work name the same run. test/fixtures/work-ids/cases.json holds
both sides to identical ids (dags/tests/test_work_ids.py here, core/work-ids/work-ids.test.ts there).
Hours are ISO strings such as 2024-03-01T05:00:00Z, written compactly (2024-03-01T05).
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from typing import Any, Iterable

# Temporal refuses ids over 1000 bytes: past this many characters the places are written as the first id,
# how many others and a hash of the whole list.
MAX_LOCATIONS_PART = 200


def fnv1a(text: str) -> str:
    """32-bit FNV-1a over UTF-16 code units (what JavaScript's charCodeAt gives), as 8 hex digits."""
    data = text.encode("utf-16-le")
    value = 0x811C9DC5
    for (unit,) in struct.iter_unpack("<H", data):
        value ^= unit
        value = (value * 0x01000193) & 0xFFFFFFFF
    return f"{value:08x}"


def _compact_hour(iso: str) -> str:
    return iso[:13]


def _locations_part(ids: Iterable[str]) -> str:
    places = sorted(set(ids))
    joined = "+".join(places)
    if len(joined) <= MAX_LOCATIONS_PART:
        return joined
    return f"{(places[0] if places else '')[:64]}-and-{len(places) - 1}-more-{fnv1a(joined)}"


def ingest_history_work_id(location_ids: Iterable[str], first: str, last: str, dry_run: bool = False) -> str:
    """`ingest-history-lyon-2024-01-01T00-2024-01-31T23` (last hour inclusive)."""
    suffix = "-dry-run" if dry_run else ""
    return f"ingest-history-{_locations_part(location_ids)}-{_compact_hour(first)}-{_compact_hour(last)}{suffix}"


def ingest_hourly_work_id(location_ids: Iterable[str], hour: str) -> str:
    """`ingest-hourly-lyon+paris-2024-03-01T05`."""
    return f"ingest-hourly-{_locations_part(location_ids)}-{_compact_hour(hour)}"


def data_quality_work_id(location_ids: Iterable[str], start: str, end: str) -> str:
    """`quality-lyon-2024-03-05T00-2024-03-06T00`: the window [start, end)."""
    return f"quality-{_locations_part(location_ids)}-{_compact_hour(start)}-{_compact_hour(end)}"


def sensor_daily_rollup_work_id(day: str) -> str:
    """`sensor-daily-rollup-2024-03-20`."""
    return f"sensor-daily-rollup-{day}"


def monitor_champions_work_id(window_days: int, to: str) -> str:
    """`monitor-champions-7d-2024-03-02T00`: every champion's report on the window_days before `to`."""
    return f"monitor-champions-{window_days}d-{_compact_hour(to)}"


def latest_monitor_work_id(stamp: str) -> str:
    """A report on the newest stored hours names no window: new work per request (an Airflow run id here)."""
    return f"monitor-champions-latest-{re.sub(r'[^A-Za-z0-9_.:+-]', '_', stamp)}"


def _canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        # JavaScript has one number type: 1.0 is written 1 there.
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    raise TypeError(f"{type(value).__name__} has no JSON form")


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, non-ASCII as is: the bytes TypeScript's canonicalJson hashes too."""
    return json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def model_name_for(kind: str, horizon_hours: int) -> str:
    return "aqi-eaqi-instant" if kind == "instant" else f"aqi-eaqi-forecast-{horizon_hours}h"


def training_work_id(work: dict[str, Any]) -> str:
    """
    `train-aqi-eaqi-instant-2025-01-01-<12 hex>`: the model's name, the holdout's end and the sha256 of what
    shapes the model (kind, horizon, algorithm, hyper-parameters, places, windows, model name) in canonical
    JSON. The approval's deadline is not in it: it decides about the model, it does not shape it.
    """
    kind = work["kind"]
    horizon = int(work.get("horizonHours") or 24) if kind == "forecast" else 0
    name = work.get("modelName") or model_name_for(kind, horizon)
    shape = canonical_json(
        {
            "kind": kind,
            "horizonHours": horizon,
            "algorithm": work["algorithm"],
            "params": work.get("params") or {},
            "locationIds": sorted(set(work["locationIds"])),
            "trainFrom": work["trainFrom"],
            "validationFrom": work["validationFrom"],
            "testFrom": work["testFrom"],
            "testTo": work["testTo"],
            "modelName": name,
        }
    )
    digest = hashlib.sha256(shape.encode("utf-8")).hexdigest()[:12]
    return f"train-{name}-{work['testTo'][:10]}-{digest}"

"""The three things a sensor waits for, each one async look (run by the task once, then by the trigger):

- `source_hours`: the source has published the interval's hours for the locations (see source_hours.py);
- `window_stored`: PostgreSQL has a reading for every hour of the interval at every location (the quality
  check's completeness rule; the same `readings` rows its assessDataQuality activity reads);
- `temporal_workflow`: a workflow, by id or by visibility query, has completed or awaits approval.

A look says whether the wait is over (`done`), whether it never will be (`fatal`, e.g. the workflow failed),
and what is still missing (`detail`), which is what a timeout reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Awaitable, Callable

from aqi_airflow.hours import describe_missing, interval_hours, missing_hours
from aqi_airflow.source_hours import Place, source_params, unpublished_hours


@dataclass(frozen=True)
class Look:
    done: bool
    detail: str
    fatal: bool = False
    xcom: Any = field(default=None)


def _window(spec: dict[str, Any]) -> list[datetime]:
    return interval_hours(datetime.fromisoformat(spec["start"]), datetime.fromisoformat(spec["end"]))


async def _fetch(postgres: dict[str, Any], statement: str, *args: Any) -> list[Any]:
    import asyncpg

    connection = await asyncpg.connect(**postgres, timeout=10)
    try:
        return list(await connection.fetch(statement, *args, timeout=30))
    finally:
        await connection.close()


async def window_stored(spec: dict[str, Any]) -> Look:
    hours = _window(spec)
    locations = sorted(set(spec["locations"]))
    rows = await _fetch(
        spec["postgres"],
        "SELECT location_id, observed_at FROM readings"
        " WHERE location_id = ANY($1::text[]) AND observed_at >= $2 AND observed_at < $3",
        locations,
        hours[0],
        datetime.fromisoformat(spec["end"]),
    )
    missing = missing_hours(locations, hours, {(row["location_id"], row["observed_at"]) for row in rows})
    if not missing:
        stored = f"{len(hours)} h stored for {', '.join(locations)}"
        return Look(True, stored, xcom={"hours": len(hours), "locations": locations})
    return Look(False, describe_missing(missing))


async def source_hours(spec: dict[str, Any]) -> Look:
    import httpx

    hours = _window(spec)
    locations = sorted(set(spec["locations"]))
    rows = await _fetch(
        spec["postgres"], "SELECT id, latitude, longitude FROM locations WHERE id = ANY($1::text[])", locations
    )
    places = sorted((Place(row["id"], row["latitude"], row["longitude"]) for row in rows), key=lambda p: p.id)
    unknown = sorted(set(locations) - {p.id for p in places})
    if unknown:
        return Look(False, f"unknown location(s): {', '.join(unknown)} (not in the platform's locations)", fatal=True)
    url = f"{spec['source_url'].rstrip('/')}/v1/air-quality"
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.get(url, params=source_params(places, hours))
        answer = response.json()
    except (httpx.HTTPError, ValueError) as err:
        return Look(False, f"the source at {url} did not answer: {err}")
    missing, note = unpublished_hours(answer, places, hours)
    if not missing:
        return Look(True, f"{len(hours)} h published for {', '.join(locations)}; {note}", xcom={"hours": len(hours)})
    return Look(False, f"{describe_missing(missing, 'not published')} ({note})")


async def temporal_workflow(spec: dict[str, Any]) -> Look:
    from temporalio.service import RPCError, RPCStatusCode

    from aqi_airflow.temporal_calls import connect, observe

    client = await connect(spec["address"], spec["namespace"])
    workflow_id, run_id = spec.get("workflow_id"), None
    if spec.get("query"):
        newest = None
        async for execution in client.list_workflows(spec["query"], limit=100):
            if newest is None or execution.start_time > newest.start_time:
                newest = execution
        if newest is None:
            return Look(False, f"no workflow matches {spec['query']!r} yet")
        workflow_id, run_id = newest.id, newest.run_id
    try:
        event = await observe(client.get_workflow_handle(workflow_id, run_id=run_id), spec["wait_for"])
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return Look(False, f"no workflow {workflow_id} yet")
        raise
    url = f"{spec['ui_url'].rstrip('/')}/namespaces/{spec['namespace']}/workflows/{workflow_id}"
    if event is None:
        target = "awaits approval" if spec["wait_for"] == "approval" else "completes"
        return Look(False, f"{workflow_id} is still running; waiting until it {target} ({url})")
    outcome = {"workflow_id": workflow_id, "url": url, **event}
    if event["state"] == "failed":
        return Look(False, f"{workflow_id} {event['status']}: {event['message']} ({url})", fatal=True)
    return Look(True, f"{workflow_id} {event['state']} ({url})", xcom=outcome)


CHECKS: dict[str, Callable[[dict[str, Any]], Awaitable[Look]]] = {
    "source_hours": source_hours,
    "window_stored": window_stored,
    "temporal_workflow": temporal_workflow,
}


async def look(check: str, spec: dict[str, Any]) -> Look:
    """Runs the named check; an error on the way (a database restarting) is a look that is not done yet."""
    try:
        return await CHECKS[check](spec)
    except Exception as err:  # noqa: BLE001 - reported as what the wait is stuck on
        return Look(False, f"could not check: {type(err).__name__}: {err}")

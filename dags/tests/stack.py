"""The test stack as the DAG tests see it: its Temporal (from the Airflow connection) and its PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import psycopg2
from temporalio.client import Client, WorkflowExecutionDescription

from conftest import stack_setting


def temporal_target() -> tuple[str, str]:
    connection = json.loads(stack_setting("AIRFLOW_CONN_TEMPORAL_DEFAULT"))
    return f"{connection['host']}:{connection['port']}", connection["schema"]


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


async def _client() -> Client:
    address, namespace = temporal_target()
    return await Client.connect(address, namespace=namespace)


def executions(workflow_id: str) -> int:
    """How many runs (any status) carry this workflow id."""

    async def count() -> int:
        client = await _client()
        return len([w async for w in client.list_workflows(f'WorkflowId = "{workflow_id}"')])

    return run(count())


def describe(workflow_id: str) -> tuple[WorkflowExecutionDescription, dict[str, Any]]:
    async def go() -> tuple[WorkflowExecutionDescription, dict[str, Any]]:
        description = await (await _client()).get_workflow_handle(workflow_id).describe()
        return description, await description.memo()

    return run(go())


def result(workflow_id: str) -> Any:
    async def go() -> Any:
        return await (await _client()).get_workflow_handle(workflow_id).result()

    return run(go())


def query(workflow_id: str, name: str) -> Any:
    async def go() -> Any:
        return await (await _client()).get_workflow_handle(workflow_id).query(name)

    return run(go())


def signal(workflow_id: str, name: str, body: dict[str, Any]) -> None:
    async def go() -> None:
        await (await _client()).get_workflow_handle(workflow_id).signal(name, body)

    run(go())


def sql(statement: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg2.connect(stack_setting("AQI_DATABASE_URL")) as connection, connection.cursor() as cursor:
        cursor.execute(statement, args)
        return cursor.fetchall() if cursor.description else []


def reading_count(location: str, first: datetime, last: datetime) -> int:
    rows = sql(
        "SELECT count(*) FROM readings WHERE location_id = %s AND observed_at BETWEEN %s AND %s", location, first, last
    )
    return int(rows[0][0])


def delete_readings(location: str, first: datetime, last: datetime) -> None:
    sql("DELETE FROM readings WHERE location_id = %s AND observed_at BETWEEN %s AND %s", location, first, last)


def start_workflow(workflow: str, body: dict[str, Any], workflow_id: str) -> None:
    """Starts a workflow on the stack's pipeline task queue (a run of an id that was forgotten first)."""
    connection = json.loads(stack_setting("AIRFLOW_CONN_TEMPORAL_DEFAULT"))

    async def go() -> None:
        await (await _client()).start_workflow(
            workflow, body, id=workflow_id, task_queue=connection["extra"]["task_queue"]
        )

    run(go())


def terminate(workflow_id: str, reason: str) -> None:
    async def go() -> None:
        await (await _client()).get_workflow_handle(workflow_id).terminate(reason=reason)

    run(go())


def backfill(location: str, first: datetime, last: datetime, workflow_id: str) -> None:
    """`ingestHistory` of [first, last] (inclusive) for one location, as `airq backfill` starts it; waits for it."""
    forget(workflow_id)
    hour = "%Y-%m-%dT%H:00:00Z"
    start_workflow(
        "ingestHistory", {"locationIds": [location], "from": first.strftime(hour), "to": last.strftime(hour)}, workflow_id
    )
    result(workflow_id)


def forget(workflow_id: str, timeout_s: float = 30) -> None:
    """Deletes every run of `workflow_id`, so a test re-run against a used stack starts from nothing."""
    from temporalio.api.common.v1 import WorkflowExecution
    from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest

    async def go() -> None:
        client = await _client()
        async for execution in client.list_workflows(f'WorkflowId = "{workflow_id}"'):
            await client.workflow_service.delete_workflow_execution(
                DeleteWorkflowExecutionRequest(
                    namespace=client.namespace,
                    workflow_execution=WorkflowExecution(workflow_id=workflow_id, run_id=execution.run_id),
                )
            )
        deadline = asyncio.get_running_loop().time() + timeout_s
        while [w async for w in client.list_workflows(f'WorkflowId = "{workflow_id}"')]:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{workflow_id} still listed {timeout_s} s after deleting it")
            await asyncio.sleep(0.5)

    run(go())

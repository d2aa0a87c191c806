"""The two Temporal calls a DAG task makes: start (or join) its workflow, then wait for where it got to."""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from aqi_airflow.runs import WorkflowRequest

# Stages of trainingPipeline at which an Airflow task has nothing left to wait for: the human decision (or
# its absence) is Temporal's business, not a worker slot's.
SETTLED_STAGES = frozenset(
    {"awaiting_approval", "promoting", "deploying", "promoted", "rejected", "expired", "rejected_by_evaluation"}
)
STILL_RUNNING = (WorkflowExecutionStatus.RUNNING, WorkflowExecutionStatus.CONTINUED_AS_NEW)


async def connect(address: str, namespace: str) -> Client:
    return await Client.connect(address, namespace=namespace)


async def start_or_join(client: Client, request: WorkflowRequest, memo: dict[str, Any]) -> bool:
    """
    Starts the workflow unless its id is taken: a running one is joined ("use existing") and a completed one
    is kept ("allow duplicate failed only": only a failed, terminated or timed-out run is started again).
    Returns True when the workflow behind the id was started by this DAG run (its memo names the run).
    """
    try:
        handle = await client.start_workflow(
            request.workflow,
            request.input,
            id=request.workflow_id,
            task_queue=request.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
            memo=memo,
        )
    except WorkflowAlreadyStartedError:
        return False
    description = await handle.describe()
    return (await description.memo()).get("airflow_run_id") == memo.get("airflow_run_id")


def failure_message(err: BaseException) -> str:
    """The workflow's own failure, cause by cause: 'activity X failed: no readings for …'."""
    parts: list[str] = []
    current: BaseException | None = err.cause if isinstance(err, WorkflowFailureError) else err
    while current is not None and len(parts) < 6:
        message = getattr(current, "message", None) or str(current)
        if message and message not in parts:
            parts.append(message)
        current = getattr(current, "cause", None) or current.__cause__
    return ": ".join(parts) or type(err).__name__


async def observe(handle: WorkflowHandle[Any, Any], wait_for: str) -> dict[str, Any] | None:
    """
    One look at the workflow: its outcome as a JSON-friendly event once it has closed (or, with
    wait_for="approval", once a training pipeline has reached a settled stage); None while it is still on its way.
    """
    description = await handle.describe()
    status = description.status
    if status in STILL_RUNNING:
        if wait_for == "approval":
            promotion = await handle.query("promotionStatus")
            if isinstance(promotion, dict) and promotion.get("stage") in SETTLED_STAGES:
                return {"state": "settled", "status": "RUNNING", "promotion": promotion}
        return None
    if status == WorkflowExecutionStatus.COMPLETED:
        return {"state": "completed", "status": "COMPLETED", "result": await handle.result()}
    try:
        await handle.result()
        message = f"workflow closed as {status.name if status else 'unknown'}"
    except Exception as err:  # noqa: BLE001 - the failure is what we report
        message = failure_message(err)
    return {"state": "failed", "status": status.name if status else None, "message": message}


async def settle(
    handle: WorkflowHandle[Any, Any], wait_for: str, poll_seconds: float, within: float | None = None
) -> dict[str, Any] | None:
    """Polls `observe` until there is an outcome; None if that takes over `within` s."""
    deadline = None if within is None else asyncio.get_running_loop().time() + within
    while True:
        event = await observe(handle, wait_for)
        if event is not None:
            return event
        if deadline is not None and asyncio.get_running_loop().time() + poll_seconds > deadline:
            return None
        await asyncio.sleep(poll_seconds)

"""The two Temporal calls a DAG task makes: start (or join) its workflow, then wait for where it got to."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError, WorkflowHandle
from temporalio.common import WorkflowIDReusePolicy
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


# The workflows' signal recording who asked for the work (workflows/work-triggers.ts).
TRIGGERED_BY = "triggeredBy"


def airflow_trigger(dag_id: str, run_id: str, now: datetime | None = None) -> dict[str, str]:
    """The trigger an Airflow run sends: {source: airflow, detail: <dag>/<run id>, at}."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return {"source": "airflow", "detail": f"{dag_id}/{run_id}", "at": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")}


@dataclass(frozen=True)
class StartOutcome:
    """What start_or_join did: started the run, joined the running one, or found the work done."""

    started: bool
    completed_run: str | None = None

    def describe(self) -> str:
        if self.completed_run is not None:
            return f"already done by run {self.completed_run} of"
        return "started" if self.started else "joined the existing run of"


async def start_or_join(
    client: Client, request: WorkflowRequest, memo: dict[str, Any], trigger: dict[str, str]
) -> StartOutcome:
    """
    Signal-with-start of `triggeredBy`: starts the workflow unless its id is taken, and the run records the
    trigger either way. A running one is joined (signal-with-start's "use existing"); a completed one is
    kept ("allow duplicate failed only": only a failed, terminated or timed-out run is started again) and
    takes no signal, so the outcome names it. `started` is True when the run behind the id was started by
    this call (its memo's startedBy is this trigger).
    """
    try:
        handle = await client.start_workflow(
            request.workflow,
            request.input,
            id=request.workflow_id,
            task_queue=request.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
            memo={**memo, "startedBy": trigger},
            start_signal=TRIGGERED_BY,
            start_signal_args=[trigger],
        )
    except WorkflowAlreadyStartedError:
        description = await client.get_workflow_handle(request.workflow_id).describe()
        return StartOutcome(started=False, completed_run=description.run_id)
    description = await handle.describe()
    return StartOutcome(started=(await description.memo()).get("startedBy") == trigger)


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

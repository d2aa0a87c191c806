"""Waits for a Temporal workflow in Airflow's triggerer: no worker slot is held while a workflow runs."""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

from airflow.triggers.base import BaseTrigger, TriggerEvent

from aqi_airflow.temporal_calls import connect, settle


RESUME_GRACE_SECONDS = 10.0


class TemporalWorkflowTrigger(BaseTrigger):
    """Fires once the workflow `workflow_id` has closed, or reached a settled stage when wait_for="approval"."""

    def __init__(
        self,
        address: str,
        namespace: str,
        workflow_id: str,
        wait_for: str,
        poll_seconds: float,
        echo: dict[str, Any] | None = None,
    ):
        super().__init__()
        # Handed back in the event as is (the Web UI link, whether this run started the workflow).
        self.echo = echo or {}
        self.address = address
        self.namespace = namespace
        self.workflow_id = workflow_id
        self.wait_for = wait_for
        self.poll_seconds = poll_seconds

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "aqi_airflow.trigger.TemporalWorkflowTrigger",
            {
                "address": self.address,
                "namespace": self.namespace,
                "workflow_id": self.workflow_id,
                "wait_for": self.wait_for,
                "poll_seconds": self.poll_seconds,
                "echo": self.echo,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        # The task was deferred because the workflow was still running moments ago; firing at once would let
        # the resumed task start before the scheduler has processed the deferral (Airflow then marks it failed).
        await asyncio.sleep(RESUME_GRACE_SECONDS)
        try:
            client = await connect(self.address, self.namespace)
            # Without a time limit, settle only returns once there is an outcome.
            event = await settle(client.get_workflow_handle(self.workflow_id), self.wait_for, self.poll_seconds) or {}
        except Exception as err:  # noqa: BLE001 - reported to the task, which fails with it
            event = {"state": "error", "message": f"could not follow {self.workflow_id} on {self.address}: {err}"}
        yield TriggerEvent({**self.echo, "workflow_id": self.workflow_id, **event})

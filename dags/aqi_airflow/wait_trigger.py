"""Waits in Airflow's triggerer until a data check passes, or its deadline goes by: no worker slot is held."""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator

from airflow.triggers.base import BaseTrigger, TriggerEvent

from aqi_airflow.data_checks import look
from aqi_airflow.trigger import RESUME_GRACE_SECONDS


class DataWaitTrigger(BaseTrigger):
    """
    Runs the check `check` (see data_checks.CHECKS) every `poll_seconds` until it is done or can never be
    (event state "done" or "failed"), or until `deadline` (epoch seconds) passes: state "timeout", with what
    the last look found missing.
    """

    def __init__(self, check: str, spec: dict[str, Any], deadline: float, poll_seconds: float):
        super().__init__()
        self.check = check
        self.spec = spec
        self.deadline = deadline
        self.poll_seconds = poll_seconds

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            "aqi_airflow.wait_trigger.DataWaitTrigger",
            {"check": self.check, "spec": self.spec, "deadline": self.deadline, "poll_seconds": self.poll_seconds},
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        # As for workflows (trigger.py): firing before the scheduler has processed the deferral fails the task.
        await asyncio.sleep(RESUME_GRACE_SECONDS)
        while True:
            result = await look(self.check, self.spec)
            if result.done or result.fatal:
                state = "done" if result.done else "failed"
                yield TriggerEvent({"state": state, "detail": result.detail, "xcom": result.xcom})
                return
            left = self.deadline - time.time()
            if left <= 0:
                yield TriggerEvent({"state": "timeout", "detail": result.detail})
                return
            self.log.info("still waiting: %s", result.detail)
            await asyncio.sleep(min(self.poll_seconds, left))

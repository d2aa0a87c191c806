"""The one operator every DAG uses: start a Temporal workflow for the run, then defer until it is done."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException

from aqi_airflow.runs import RunWindow, WorkflowRequest
from aqi_airflow.settings import TemporalSettings, temporal_settings
from aqi_airflow.temporal_calls import StartOutcome, airflow_trigger, connect, settle, start_or_join
from aqi_airflow.trigger import TemporalWorkflowTrigger

RequestBuilder = Callable[[RunWindow, dict[str, Any], TemporalSettings], WorkflowRequest]


def run_window(context: Any) -> RunWindow:
    """The run's data interval (absent on a manual run without a logical date) and run id."""
    dag_run = context["dag_run"]
    return RunWindow(
        dag_id=dag_run.dag_id,
        run_id=dag_run.run_id,
        start=context.get("data_interval_start"),
        end=context.get("data_interval_end"),
    )


class TemporalWorkflowOperator(BaseOperator):
    """
    Builds the run's workflow request (`build(window, params, settings)`), starts the workflow or joins the
    one with the same id (signal-with-start of `triggeredBy`: the run records this DAG run as a trigger), waits up to `inline_seconds` for it, then defers to the triggerer until it closes (wait_for="completion") or, for a
    training pipeline, until it awaits approval (wait_for="approval"). The task fails with the workflow's own
    failure message; its return value (XCom) holds the workflow id, its Web UI link and its result.
    """

    ui_color = "#d8e8ff"

    def __init__(
        self,
        *,
        build: RequestBuilder,
        wait_for: str = "completion",
        poll_seconds: float = 5.0,
        inline_seconds: float = 20.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if wait_for not in ("completion", "approval"):
            raise ValueError(f"wait_for must be 'completion' or 'approval', got {wait_for!r}")
        self.build = build
        self.wait_for = wait_for
        self.poll_seconds = poll_seconds
        # Quick workflows (an hour's ingestion) end within seconds: waiting that long in the slot is cheaper
        # than a deferral round trip; anything longer waits in the triggerer.
        self.inline_seconds = inline_seconds

    def execute(self, context: Any) -> Any:
        settings = temporal_settings()
        window = run_window(context)
        try:
            request = self.build(window, dict(context["params"]), settings)
        except ValueError as err:
            raise AirflowException(f"cannot build the workflow request: {err}") from err
        memo = {"airflow_dag_id": window.dag_id, "airflow_run_id": window.run_id}
        trigger = airflow_trigger(window.dag_id, window.run_id)
        outcome, early = asyncio.run(self._start(settings, request, memo, trigger))
        started = outcome.started
        url = settings.workflow_url(request.workflow_id)
        self.log.info(
            "%s %s %s on %s (task queue %s); Temporal Web UI: %s",
            outcome.describe(),
            request.workflow,
            request.workflow_id,
            settings.address,
            request.task_queue,
            url,
        )
        echo = {"url": url, "started": started, "workflow_id": request.workflow_id}
        if outcome.completed_run is not None:
            echo["completed_run"] = outcome.completed_run
        if early is not None:
            return self.execute_complete(context, {**echo, **early})
        self.defer(
            trigger=TemporalWorkflowTrigger(
                settings.address,
                settings.namespace,
                request.workflow_id,
                self.wait_for,
                self.poll_seconds,
                echo=echo,
            ),
            method_name="execute_complete",
        )

    async def _start(
        self, settings: TemporalSettings, request: WorkflowRequest, memo: dict[str, Any], trigger: dict[str, str]
    ) -> tuple[StartOutcome, dict[str, Any] | None]:
        client = await connect(settings.address, settings.namespace)
        outcome = await start_or_join(client, request, memo, trigger)
        handle = client.get_workflow_handle(request.workflow_id)
        return outcome, await settle(handle, self.wait_for, min(self.poll_seconds, 1.0), within=self.inline_seconds)

    def execute_complete(self, context: Any, event: dict[str, Any]) -> dict[str, Any]:
        workflow_id, url = event.get("workflow_id"), event.get("url")
        if event.get("state") not in ("completed", "settled"):
            raise AirflowException(f"{workflow_id}: {event.get('message', 'failed')} (see {url})")
        self.log.info("%s %s (%s)", workflow_id, event["state"], url)
        outcome = {"workflow_id": workflow_id, "url": url, "started": event.get("started"), "status": event.get("status")}
        if event.get("completed_run"):
            # The work was done before this run asked: nothing new started (see the workflow's memo for who).
            outcome["already_done_by"] = event["completed_run"]
        if "result" in event:
            outcome["result"] = event["result"]
        if "promotion" in event:
            outcome["promotion"] = event["promotion"]
        return outcome

"""What a person needs to decide on a training run that awaits approval: its holdout metrics and where to act."""

from __future__ import annotations

from typing import Any


def _metrics(label: str, metrics: dict[str, Any] | None) -> str | None:
    if not metrics:
        return None
    return f"{label}: MAE {metrics['mae']:.3f}, RMSE {metrics['rmse']:.3f}, R² {metrics['r2']:.3f} (n={metrics['n']})"


def approval_summary(outcome: dict[str, Any], api_url: str) -> list[str]:
    """
    Lines for the log, from the training task's XCom (`workflow_id`, `url`, and the `promotion` status or the
    workflow's `result`): the stage, the holdout metrics of the candidate, its baseline and the champion, the
    gate's reasons, and, while it awaits approval, the three ways to decide.
    """
    workflow_id = outcome["workflow_id"]
    promotion = outcome.get("promotion") or outcome.get("result") or {}
    stage = promotion.get("stage") or promotion.get("outcome") or outcome.get("status") or "unknown"
    model = f"model {promotion.get('modelName', '?')} version {promotion.get('version', '-')}"
    lines = [f"training run {workflow_id}: {stage}; {model}"]
    evaluation = promotion.get("evaluation") or {}
    baseline = evaluation.get("baseline") or {}
    champion = evaluation.get("champion") or {}
    for line in (
        _metrics("holdout, candidate", evaluation.get("candidate")),
        _metrics(f"holdout, baseline ({baseline.get('algorithm', '?')})", baseline.get("metrics")),
        _metrics(f"holdout, champion v{champion.get('version', '?')}", champion.get("metrics")),
    ):
        if line:
            lines.append(line)
    gate = evaluation.get("gate") or {}
    if gate:
        lines.append(f"gate {'passed' if gate.get('passed') else 'failed'}: {'; '.join(gate.get('reasons', []))}")
    if stage == "awaiting_approval":
        lines += [
            f"approve or reject by {promotion.get('deadline', 'the deadline')}:",
            f"  Temporal Web UI: {outcome['url']} (signal approvePromotion)",
            f"  CLI: npx airq approve {workflow_id}   (or npx airq reject {workflow_id})",
            f"  API: POST {api_url.rstrip('/')}/pipelines/{workflow_id}/approval "
            '{"decision": "approve"} with the operator key as Bearer token',
        ]
    return lines

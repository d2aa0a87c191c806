"""The run params of a training pipeline, shared by the DAGs that start one (aqi_training, aqi_daily)."""

from __future__ import annotations

from typing import Any

from airflow.sdk import Param

ISO_HOUR_OR_NULL = {"type": ["null", "string"], "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$"}


def training_params() -> dict[str, Any]:
    """What `training_request` reads: the model's kind and algorithm, the four windows, name and approval wait."""
    return {
        "kind": Param("instant", enum=["instant", "forecast"]),
        "horizon_hours": Param(None, type=["null", "integer"], minimum=1, maximum=72),
        "algorithm": Param("random-forest", enum=["random-forest", "boosted-trees", "linear", "persistence"]),
        "train_from": Param(None, **ISO_HOUR_OR_NULL),
        "validation_from": Param(None, **ISO_HOUR_OR_NULL),
        "test_from": Param(None, **ISO_HOUR_OR_NULL),
        "test_to": Param(None, **ISO_HOUR_OR_NULL),
        "model_name": Param(None, type=["null", "string"], description="Registered model; default: the kind's"),
        "approval_timeout": Param(None, type=["null", "string"], description="e.g. 72h (the workflow's default)"),
    }

"""Scores rows with models loaded through MLflow's generic API, for test/integration/pyfunc-model.test.ts.

Usage: ``python pyfunc_predict.py <request.json> <answer.json>``. The request is
``{"models": [{"uri": ..., "columns": [...], "rows": [[...], ...]}, ...]}``; each ``uri`` (``models:/name@alias``
or a local model directory) is loaded with ``mlflow.pyfunc.load_model`` and predicts a DataFrame of its rows, in
the signature's columns (an instant model's request concentrations, a forecast model's features).
The answer lists, per model, its predictions, signature input names, flavors and run id. ``models:/`` URIs
are resolved on the server of ``MLFLOW_TRACKING_URI``. Floats go through ``json`` as their shortest repr, so
the TypeScript side reads back the very same doubles.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import mlflow.pyfunc
import pandas as pd


def score(request: dict[str, Any]) -> dict[str, Any]:
    """Loads one model and predicts its rows."""
    model = mlflow.pyfunc.load_model(request["uri"])
    predictions = model.predict(pd.DataFrame(request["rows"], columns=request["columns"], dtype="float64"))
    return {
        "predictions": [float(v) for v in predictions],
        "inputNames": model.metadata.get_input_schema().input_names(),
        "flavors": sorted(model.metadata.flavors),
        "runId": model.metadata.run_id,
    }


def main(request_file: str, answer_file: str) -> None:
    with open(request_file, encoding="utf-8") as f:
        request = json.load(f)
    answers = [score(model) for model in request["models"]]
    with open(answer_file, "w", encoding="utf-8") as f:
        json.dump({"models": answers}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""MLflow ``python_function`` loader for the platform's models: scores ``model.json`` exactly as TypeScript does.

MLflow puts the model's ``code/`` directory (this file) on ``sys.path`` and calls
``_load_pyfunc(<model dir>/model.json)``. The JSON is the artifact of ``core/ml/models`` (format
``aqi-eaqi-model`` version 1), and a prediction is, as in ``core/ml/models/model.ts``:

    baseline feature (or 0) + ridge correction (intercept + w.x) + trees (a forest's mean or boosting's sum,
    added to ``base``); persistence returns the ``european_aqi_now`` feature.

Every sum runs in TypeScript's order over float64, so both languages give the same bits, not just close ones.
Like ``Model.predict``, this returns the model's raw output: ``POST /predict`` then floors the index at 0.
Needs numpy and pandas only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MODEL_FORMAT = "aqi-eaqi-model"
MODEL_FORMAT_VERSION = 1
PERSISTENCE_FEATURE = "european_aqi_now"


@dataclass(frozen=True)
class Tree:
    """A flat regression tree: node i is a leaf when ``feature[i]`` is -1, else x < threshold goes left."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    @classmethod
    def from_json(cls, tree: dict[str, list[float]], width: int) -> Tree:
        """Reads a tree, checking what makes a walk end: children after their parent, features in range."""
        feature, left, right = (np.asarray(tree[k], dtype=np.int64) for k in ("feature", "left", "right"))
        threshold, value = (np.asarray(tree[k], dtype=np.float64) for k in ("threshold", "value"))
        n = len(feature)
        split = feature >= 0
        nodes = np.arange(n)
        if (
            n == 0
            or any(len(a) != n for a in (threshold, left, right, value))
            or (feature >= width).any()
            or (split & ((left <= nodes) | (left >= n) | (right <= nodes) | (right >= n))).any()
        ):
            raise ValueError("a tree needs equally long arrays, children after their parent, known features")
        return cls(feature, threshold, left, right, value)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Walks every row down the tree at once, one level per step."""
        node = np.zeros(len(x), dtype=np.int64)
        while True:
            feature = self.feature[node]
            inner = np.flatnonzero(feature >= 0)
            if len(inner) == 0:
                return self.value[node]
            at = node[inner]
            goes_left = x[inner, feature[inner]] < self.threshold[at]
            node[inner] = np.where(goes_left, self.left[at], self.right[at])


class AqiModel:
    """A loaded model. ``predict`` takes a DataFrame holding the signature's columns (found by name)."""

    def __init__(self, document: dict[str, Any]) -> None:
        if document.get("format") != MODEL_FORMAT or document.get("formatVersion") != MODEL_FORMAT_VERSION:
            raise ValueError(f"not an {MODEL_FORMAT} v{MODEL_FORMAT_VERSION} model")
        spec = document["spec"]
        self.algorithm: str = document["algorithm"]
        self.spec_version: str = spec["version"]
        self.feature_names: list[str] = list(spec["names"])
        width = len(self.feature_names)
        baseline = spec.get("baselineFeature")
        self.baseline_index = None if baseline is None else self.feature_names.index(baseline)
        linear = document.get("linear")
        self.intercept = None if linear is None else float(linear["intercept"])
        self.weights = [] if linear is None else [float(w) for w in linear["weights"]]
        if linear is not None and len(self.weights) != width:
            raise ValueError(f"{len(self.weights)} linear weights for {width} features")
        ensemble = document.get("ensemble")
        self.aggregation = None if ensemble is None else ensemble["aggregation"]
        self.base = 0.0 if ensemble is None else float(ensemble["base"])
        self.trees = [] if ensemble is None else [Tree.from_json(t, width) for t in ensemble["trees"]]
        if (self.algorithm in ("random-forest", "boosted-trees")) != bool(self.trees):
            raise ValueError(f"a {self.algorithm} model {'needs' if not self.trees else 'cannot have'} trees")

    def predict(self, model_input: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.Series:
        """The European AQI of each row, in the input's order and index; ``params`` is unused."""
        frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
        missing = [name for name in self.feature_names if name not in frame.columns]
        if missing:
            raise ValueError(f"missing feature columns ({self.spec_version}): {', '.join(missing)}")
        x = frame[self.feature_names].to_numpy(dtype=np.float64)
        bad = np.flatnonzero(~np.isfinite(x).all(axis=1))
        if len(bad) > 0:
            raise ValueError(f"row {bad[0]}: expected {x.shape[1]} finite features ({self.spec_version})")
        return pd.Series(self._predict(x), index=frame.index, name="european_aqi")

    def _predict(self, x: np.ndarray) -> np.ndarray:
        if self.algorithm == "persistence":
            if PERSISTENCE_FEATURE not in self.feature_names:
                raise ValueError("persistence on an instant spec needs the current index")
            return x[:, self.feature_names.index(PERSISTENCE_FEATURE)].copy()
        value = np.zeros(len(x)) if self.baseline_index is None else x[:, self.baseline_index].copy()
        if self.intercept is not None:
            linear = np.full(len(x), self.intercept)
            for j, weight in enumerate(self.weights):
                linear = linear + weight * x[:, j]
            value = value + linear
        if self.trees:
            total = np.zeros(len(x))
            for tree in self.trees:
                total = total + tree.predict(x)
            value = value + (self.base + (total / len(self.trees) if self.aggregation == "mean" else total))
        return value


def _load_pyfunc(data_path: str) -> AqiModel:
    """MLflow's entry point: ``data_path`` is the flavor's ``data``, the model JSON."""
    with open(data_path, encoding="utf-8") as f:
        return AqiModel(json.load(f))

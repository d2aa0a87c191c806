"""MLflow ``python_function`` loader for the platform's models: returns what the API serves for the same rows.

MLflow puts the model's ``code/`` directory (this file) on ``sys.path`` and calls
``_load_pyfunc(<model dir>/model.json)``. The JSON is the artifact of ``core/ml/models`` (format
``aqi-eaqi-model`` version 1), and a prediction is, as in ``core/ml/models/model.ts``:

    baseline feature (or 0) + ridge correction (intercept + w.x) + trees (a forest's mean or boosting's sum,
    added to ``base``); persistence returns the ``european_aqi_now`` feature.

The input is what a client of the API has: an instant model takes ``POST /predict``'s request columns (the
five concentrations) and computes its features from them as ``core/ml/instant-features.ts`` does
(``INSTANT_INPUTS``, keyed on the feature spec's version); a forecast model takes its feature columns, which
the API builds from stored history. The output is floored at 0 as ``servedIndex`` (``core/ml/served-index.ts``)
does for ``POST /predict`` and ``GET /forecast``: a European AQI is never negative.

Every sum runs in TypeScript's order over float64, and log10 is V8's (fdlibm's) algorithm, so both languages
give the same bits, not just close ones. Needs numpy and pandas only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MODEL_FORMAT = "aqi-eaqi-model"
MODEL_FORMAT_VERSION = 1
PERSISTENCE_FEATURE = "european_aqi_now"


def served_index(value: np.ndarray) -> np.ndarray:
    """The index a client is given, as ``servedIndex`` in core/ml/served-index.ts: the model's output floored at 0.

    ``+ 0.0`` turns a -0.0 into 0.0, as ``Math.max(0, -0)`` does; it leaves every other value unchanged.
    """
    return np.maximum(value, 0.0) + 0.0


# fdlibm's log and log10 as V8 runs them for Math.log10 (v8/src/base/ieee754.cc), restricted to x >= 1, the
# only arguments log10(concentration + 1) has. numpy's own log10 differs from V8's in the last bit for a few
# percent of arguments, and varies with the CPU's SIMD; these are plain IEEE operations in fdlibm's order.
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
_IVLN10 = 4.34294481903251816668e-01
_LOG10_2HI = 3.01029995663611771306e-01
_LOG10_2LO = 3.69423907715893078616e-13


def _words(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    bits = np.ascontiguousarray(x, dtype=np.float64).view(np.uint64)
    return (bits >> np.uint64(32)).astype(np.int64), (bits & np.uint64(0xFFFFFFFF)).astype(np.int64)


def _from_words(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    return ((high.astype(np.uint64) << np.uint64(32)) | low.astype(np.uint64)).view(np.float64)


def _fdlibm_log(x: np.ndarray) -> np.ndarray:
    """fdlibm's ``log`` for x in [1, 2) (so fdlibm's exponent k starts at 0), every branch kept."""
    hx, lx = _words(x)
    hx = hx & 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    x = _from_words(hx | (i ^ 0x3FF00000), lx)  # x or x/2, into [sqrt(2)/2, sqrt(2))
    k = i >> 20
    dk = k.astype(np.float64)
    f = x - 1.0
    with np.errstate(all="ignore"):
        # |f| < 2**-20
        r_small = f * f * (0.5 - 0.33333333333333333 * f)
        tiny = np.where(
            f == 0.0,
            np.where(k == 0, 0.0, dk * _LN2_HI + dk * _LN2_LO),
            np.where(k == 0, f - r_small, dk * _LN2_HI - ((r_small - dk * _LN2_LO) - f)),
        )
        s = f / (2.0 + f)
        z = s * s
        w = z * z
        t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
        t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
        r = t2 + t1
        hfsq = 0.5 * f * f
        wide = np.where(
            k == 0,
            f - (hfsq - s * (hfsq + r)),
            dk * _LN2_HI - ((hfsq - (s * (hfsq + r) + dk * _LN2_LO)) - f),
        )
        narrow = np.where(k == 0, f - s * (f - r), dk * _LN2_HI - ((s * (f - r) - dk * _LN2_LO) - f))
    general = np.where(((hx - 0x6147A) | (0x6B851 - hx)) > 0, wide, narrow)
    return np.where((0x000FFFFF & (2 + hx)) < 3, tiny, general)


def js_log10(x: np.ndarray) -> np.ndarray:
    """``Math.log10`` of V8 (fdlibm's e_log10.c) for finite x >= 1, bit for bit."""
    x = np.asarray(x, dtype=np.float64)
    if not (np.isfinite(x) & (x >= 1.0)).all():
        raise ValueError("js_log10 takes finite values >= 1")
    hx, lx = _words(x)
    y = ((hx >> 20) - 1023).astype(np.float64)  # the binary exponent, >= 0 here
    mantissa = _from_words((hx & 0x000FFFFF) | 0x3FF00000, lx)  # x / 2**y, in [1, 2)
    z = y * _LOG10_2LO + _IVLN10 * _fdlibm_log(mantissa)
    return np.where(x == 1.0, 0.0, z + y * _LOG10_2HI).reshape(x.shape)


@dataclass(frozen=True)
class InstantInputs:
    """What an instant model's client sends, and how the model's features are computed from it."""

    columns: tuple[str, ...]
    names: tuple[str, ...]
    features: Callable[[np.ndarray], np.ndarray]


# The instant models' inputs by feature spec version: the API's request columns (POST /predict's rows), in
# the order of the features, the feature names the spec must have, and the transform. The TypeScript side is
# core/ml/instant-features.ts (`instantVariables`, `instantFeatures`), and `pyfuncInputNames`
# (adapters/mlflow/pyfunc.ts) puts the same columns in the MLmodel signature.
INSTANT_INPUTS: dict[str, InstantInputs] = {
    "instant-v1": InstantInputs(
        columns=("pm2_5", "pm10", "carbon_monoxide", "sulphur_dioxide", "uv_index"),
        names=("log10_pm2_5", "log10_pm10", "log10_carbon_monoxide", "log10_sulphur_dioxide", "log10_uv_index"),
        features=lambda x: js_log10(x + 1.0),
    ),
}


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
        self.instant: InstantInputs | None = None
        if spec["kind"] == "instant":
            self.instant = INSTANT_INPUTS.get(self.spec_version)
            if self.instant is None:
                known = ", ".join(INSTANT_INPUTS)
                raise ValueError(
                    f"instant feature spec {self.spec_version!r} is unknown to this scorer (it knows {known}): "
                    "it cannot compute that model's features from the request columns"
                )
            if tuple(self.feature_names) != self.instant.names:
                raise ValueError(f"an {self.spec_version} spec has the features {', '.join(self.instant.names)}")
        # The columns a client gives (the MLmodel signature's inputs).
        self.input_names: list[str] = list(self.feature_names if self.instant is None else self.instant.columns)
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
        """The European AQI served for each row (as ``POST /predict`` or ``GET /forecast`` answers it), in the
        input's order and index; ``params`` is unused."""
        frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
        missing = [name for name in self.input_names if name not in frame.columns]
        if missing:
            raise ValueError(f"missing input columns ({self.spec_version}): {', '.join(missing)}")
        x = frame[self.input_names].to_numpy(dtype=np.float64)
        if self.instant is not None:
            # As the API's request schema: a concentration is a finite number >= 0.
            bad = np.argwhere(~np.isfinite(x) | (x < 0))
            if len(bad) > 0:
                row, column = (int(v) for v in bad[0])
                raise ValueError(
                    f"row {row}, column {self.input_names[column]}: {float(x[row, column])} is not a concentration "
                    "(a finite number >= 0)"
                )
            x = self.instant.features(x)
        bad_rows = np.flatnonzero(~np.isfinite(x).all(axis=1))
        if len(bad_rows) > 0:
            raise ValueError(f"row {bad_rows[0]}: expected {x.shape[1]} finite features ({self.spec_version})")
        return pd.Series(served_index(self._predict(x)), index=frame.index, name="european_aqi")

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

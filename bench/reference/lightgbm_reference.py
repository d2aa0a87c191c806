"""LightGBM reference figures for the EAQI models (issue 4), on the split bench/training.ts uses.

Run (from the repository root):
    python3 -m venv .tools/venvs/lightgbm-ref
    .tools/venvs/lightgbm-ref/bin/pip install -r bench/reference/requirements.txt
    .tools/venvs/lightgbm-ref/bin/python bench/reference/lightgbm_reference.py [path/to/lyon-2024-hourly.csv]

Data: Air quality data by Open-Meteo.com (CAMS), CC BY 4.0 - the Lyon 2024 hourly export in
data/open-meteo/ (bundled in the repository). Target: the reported european_aqi at t+h. Test: targets in December 2024.
Train: targets up to 24 h before the validation month (November), as in core/ml/split.ts; the same
models are also refit on January-November ("train+validation") since the issue's figures say only
"earlier months". Prints a Markdown table.
"""

import sys
import time
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

SEED = 42
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CSV = ROOT / "data" / "open-meteo" / "lyon-2024-hourly.csv"
VALIDATION_FROM = pd.Timestamp("2024-11-01", tz="UTC")
TEST_FROM = pd.Timestamp("2024-12-01", tz="UTC")
GAP = pd.Timedelta(hours=24)
INSTANT = ["pm2_5", "pm10", "carbon_monoxide", "sulphur_dioxide", "uv_index"]
PM_BANDS = {"pm2_5": [0, 10, 20, 25, 50, 75], "pm10": [0, 20, 40, 50, 100, 150]}


def load(path: Path) -> pd.DataFrame:
    # Line 1-2: location block, line 3 blank, then the hourly section; headers carry units in brackets.
    frame = pd.read_csv(path, skiprows=3)
    frame.columns = [c.split(" (")[0] for c in frame.columns]
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return frame.set_index("time").asfreq("h")


def sub_index(pollutant: str, concentration: pd.Series) -> pd.Series:
    """Pre-2026 EAQI sub-index: linear inside each band, 20 per band, last slope continued."""
    edges = PM_BANDS[pollutant]
    band = np.clip(np.searchsorted(edges, concentration.to_numpy(), side="right") - 1, 0, len(edges) - 2)
    lower = np.array(edges)[band]
    upper = np.array(edges)[band + 1]
    return pd.Series(20 * (band + (concentration.to_numpy() - lower) / (upper - lower)), index=concentration.index)


def instant_features(frame: pd.DataFrame) -> pd.DataFrame:
    return np.log10(frame[INSTANT] + 1).add_prefix("log10_")


def history_features(frame: pd.DataFrame, horizon: int, known_window: bool) -> pd.DataFrame:
    """What is known at t: index lags 0-24 h, PM 24 h means, the instant pollutants, hour, weekday."""
    out = pd.DataFrame(index=frame.index)
    for lag in range(25):
        out[f"aqi_lag_{lag}"] = frame["european_aqi"].shift(lag)
    for pm in ("pm2_5", "pm10"):
        out[f"{pm}_mean_24h"] = frame[pm].rolling(24).mean()
    for name in INSTANT:
        out[name] = frame[name]
    out["hour"] = frame.index.hour
    out["weekday"] = frame.index.day_of_week
    if known_window:
        # The target's PM window is t+h-24 .. t+h-1; hours t+h-24 .. t are observed at t.
        known = 25 - horizon
        for pm in ("pm2_5", "pm10"):
            known_mean = frame[pm].rolling(known).mean()
            out[f"{pm}_window_known_mean"] = known_mean
            out[f"{pm}_window_known_subindex"] = sub_index(pm, known_mean)
    return out


def split(features: pd.DataFrame, target: pd.Series, horizon: int, refit: bool):
    target_time = features.index + pd.Timedelta(hours=horizon)
    data = features.assign(y=target.shift(-horizon).to_numpy(), target_time=target_time).dropna()
    train_end = (TEST_FROM if refit else VALIDATION_FROM) - GAP
    train = data[data.target_time < train_end]
    test = data[data.target_time >= TEST_FROM]
    columns = list(features.columns)
    return train[columns], train["y"], test[columns], test["y"]


def fit(x_train, y_train, n_estimators: int, learning_rate: float):
    params = {
        "objective": "regression",
        "learning_rate": learning_rate,
        "num_leaves": 31,
        "seed": SEED,
        "num_threads": 2,
        "deterministic": True,
        "force_row_wise": True,
        "verbosity": -1,
    }
    started = time.perf_counter()
    booster = lgb.train(params, lgb.Dataset(x_train, y_train), num_boost_round=n_estimators)
    return booster, time.perf_counter() - started


def main() -> None:
    frame = load(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CSV)
    aqi = frame["european_aqi"]
    rows = []
    for horizon in (1, 6, 24):
        _, _, x_test, y_test = split(history_features(frame, horizon, False), aqi, horizon, refit=False)
        persistence = float(np.mean(np.abs(x_test["aqi_lag_0"] - y_test)))
        rows.append((f"forecast +{horizon} h", "persistence", "-", "-", "-", "-", persistence))

    cases = [("instant", 0, lambda h: instant_features(frame), "5 instant (log10(x+1))")]
    for horizon in (1, 6, 24):
        cases.append((f"forecast +{horizon} h", horizon, lambda h: history_features(frame, h, False), "history"))
        cases.append(
            (f"forecast +{horizon} h", horizon, lambda h: history_features(frame, h, True), "history + known window")
        )
    for label, horizon, features_of, feature_set in cases:
        for refit in (False, True):
            x_train, y_train, x_test, y_test = split(features_of(horizon), aqi, horizon, refit)
            for n_estimators, learning_rate in ((100, 0.1), (300, 0.05), (500, 0.05)):
                model, seconds = fit(x_train, y_train, n_estimators, learning_rate)
                mae = float(np.mean(np.abs(model.predict(x_test) - y_test)))
                train_on = "Jan-Nov" if refit else "Jan-Oct"
                params = f"n={n_estimators}, lr={learning_rate}, leaves=31"
                rows.append((label, "lightgbm", feature_set, train_on, params, f"{len(y_train)} / {seconds:.2f}", mae))

    print("Air quality data by Open-Meteo.com (CAMS), CC BY 4.0")
    print(f"LightGBM {lgb.__version__}, seed {SEED}, test = December 2024 targets")
    print()
    print("| model | learner | features | trained on | params | train rows / s | test MAE |")
    print("|---|---|---|---|---|---|---|")
    for label, learner, feature_set, train_on, params, size, mae in rows:
        print(f"| {label} | {learner} | {feature_set} | {train_on} | {params} | {size} | {mae:.2f} |")


if __name__ == "__main__":
    main()

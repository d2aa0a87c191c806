"""Golden cases for core/monitoring/drift: what Evidently 0.7's DataDriftPreset decides, column by column.

Run through `npm run drift:golden` (test/drift/make-golden.ts builds the pinned venv from
stack/python/evidently-requirements.txt and calls this script with the output path). Writes one JSON file:

- datasets: each one Evidently Report over a reference and a current DataFrame with an explicit
  DataDefinition (numerical / categorical columns), run with the preset's default per-column choice and,
  for most datasets, again with method="psi" and method="jensenshannon" for every column (PSI is never a
  default; the Jensen-Shannon histogram branch only appears with an override). For each column: the stat
  test's name, threshold, score and Evidently's own drift verdict (its ValueDrift test); per report the
  dataset verdict (its DriftedColumnsCount test, share >= drift_share) and whether that count agrees with
  the column verdicts (countMatchesColumns: it does not for +-inf in a column without NaN, see below).
- emptyColumns: columns that are empty once NaN and +-inf are dropped. Evidently refuses the whole report
  for them (ValueError); the message is kept, and our code reports "not enough data" instead.
- scipy: the distribution functions the tests rest on, evaluated directly on grids that reach every branch
  (kstwo's sf and cdf across its regimes, chi2.sf, the exact and asymptotic ks_2samp p-values).

Data: numpy's default_rng with a fixed seed, numerical values rounded to 2 or 3 decimals (ties on purpose,
and a small file). JSON cannot hold NaN or infinities, so they are written as the strings "NaN",
"Infinity" and "-Infinity"; a missing category is null.
"""

import json
import math
import sys
import warnings

import numpy as np
import pandas as pd
import scipy
import evidently
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset
from scipy import stats

SEED = 20261129
rng = np.random.default_rng(SEED)

METHOD_NAMES = {
    "K-S p_value": "ks",
    "Wasserstein distance (normed)": "wasserstein",
    "chi-square p_value": "chisquare",
    "Z-test p_value": "z",
    "Jensen-Shannon distance": "jensenshannon",
    "PSI": "psi",
}


def num(values, decimals=2):
    return [float(v) for v in np.round(np.asarray(values, dtype=float), decimals)]


def normal(n, mean=0.0, sd=1.0, decimals=2):
    return num(rng.normal(mean, sd, n), decimals)


def choice(n, values, p=None):
    picked = rng.choice(len(values), size=n, p=p)
    return [values[i] for i in picked]


def sprinkle(values, share, specials):
    """Replaces a share of the values, at random positions, with the given special values in turn."""
    out = list(values)
    positions = rng.choice(len(out), size=int(len(out) * share), replace=False)
    for k, i in enumerate(positions):
        out[int(i)] = specials[k % len(specials)]
    return out


def pad(values, n, missing):
    if len(values) > n:
        raise ValueError(f"{len(values)} values do not fit in {n} rows")
    return list(values) + [missing] * (n - len(values))


def encode(value):
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def col(name, kind, reference, current, note):
    return {"name": name, "type": kind, "note": note, "reference": reference, "current": current}


def frame(columns, side, rows):
    data = {}
    for c in columns:
        missing = np.nan if c["type"] == "numerical" else None
        values = pad(c[side], rows, missing)
        if c["type"] == "numerical":
            data[c["name"]] = pd.Series(values, dtype="float64")
        else:
            data[c["name"]] = pd.Series(values, dtype="object")
    return pd.DataFrame(data)


def run_report(columns, ref_rows, cur_rows, method=None):
    definition = DataDefinition(
        numerical_columns=[c["name"] for c in columns if c["type"] == "numerical"],
        categorical_columns=[c["name"] for c in columns if c["type"] == "categorical"],
    )
    reference = Dataset.from_pandas(frame(columns, "reference", ref_rows), data_definition=definition)
    current = Dataset.from_pandas(frame(columns, "current", cur_rows), data_definition=definition)
    preset = DataDriftPreset() if method is None else DataDriftPreset(method=method)
    snapshot = Report([preset], include_tests=True).run(current_data=current, reference_data=reference)
    result = snapshot.dict()
    scores, count = {}, None
    for metric in result["metrics"]:
        config = metric["config"]
        if config["type"].endswith(":ValueDrift"):
            scores[metric["id"]] = {
                "column": config["column"],
                "methodDisplayName": config["method"],
                # the preset's own choice is named by its display name, an override by the name it was given
                "method": METHOD_NAMES.get(config["method"], config["method"]),
                "threshold": config["threshold"],
                "score": None if metric["value"] is None or math.isnan(metric["value"]) else metric["value"],
            }
        elif config["type"].endswith(":DriftedColumnsCount"):
            count = {"driftedCount": int(metric["value"]["count"]), "driftedShare": metric["value"]["share"]}
    dataset_drift = None
    for test in result["tests"]:
        metric_id = test["metric_config"]["metric_id"]
        if metric_id in scores:
            scores[metric_id]["drifted"] = test["status"] == "FAIL"
        elif test["metric_config"]["params"]["type"].endswith(":DriftedColumnsCount"):
            dataset_drift = test["status"] == "FAIL"
    by_column = {s["column"]: s for s in scores.values()}
    verdicts = [by_column[c["name"]]["drifted"] for c in columns]
    return {
        "columns": [by_column[c["name"]] for c in columns],
        **count,
        "datasetDrift": dataset_drift,
        # Evidently counts drifted columns a second time for DriftedColumnsCount (its legacy DatasetDriftMetric),
        # and that pass drops NaN and +-inf only from a column that has a NaN: a column with +-inf and no NaN
        # keeps its infinities there. Whether the count agrees with the per-column (ValueDrift) verdicts:
        "countMatchesColumns": count["driftedCount"] == sum(verdicts),
    }


def dataset(name, columns, note, overrides=("psi", "jensenshannon")):
    ref_rows = max(len(c["reference"]) for c in columns)
    cur_rows = max(len(c["current"]) for c in columns)
    out = {
        "name": name,
        "note": note,
        "referenceRows": ref_rows,
        "currentRows": cur_rows,
        "columns": [
            {**c, "reference": [encode(v) for v in c["reference"]], "current": [encode(v) for v in c["current"]]}
            for c in columns
        ],
        "evidently": {"default": run_report(columns, ref_rows, cur_rows)},
    }
    for method in overrides:
        out["evidently"][method] = run_report(columns, ref_rows, cur_rows, method)
    return out


NAN, INF = float("nan"), float("inf")


def small_mixed():
    R, C = 400, 300
    letters = ["a", "b", "c", "d"]
    return [
        col("ks_same", "numerical", normal(R), normal(C), "KS exact, n1 != n2, same distribution"),
        col("ks_shift", "numerical", normal(R), normal(C, 0.35), "KS exact, shifted"),
        col("ks_slight_shift", "numerical", normal(R), normal(C, 0.12), "KS exact, a small shift"),
        col(
            "ks_nan_inf",
            "numerical",
            sprinkle(normal(R, 10, 2), 0.1, [NAN, INF, -INF]),
            sprinkle(normal(C, 10.4, 2), 0.05, [NAN, -INF]),
            "KS after dropping NaN and +-inf",
        ),
        col("ks_ties", "numerical", num(rng.poisson(8, R), 0), num(rng.poisson(8.5, C), 0), "KS with many ties"),
        col("ks_equal_n", "numerical", normal(C, 5), normal(C, 5.2), "KS exact with n1 == n2 (padded with NaN)"),
        col("ks_six_values", "numerical", choice(R, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), choice(C, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), "6 unique values: KS"),
        col("z_binary_same", "numerical", choice(R, [0.0, 1.0], [0.7, 0.3]), choice(C, [0.0, 1.0], [0.7, 0.3]), "2 values: z-test"),
        col("z_binary_shift", "numerical", choice(R, [0.0, 1.0], [0.7, 0.3]), choice(C, [0.0, 1.0], [0.5, 0.5]), "2 values: z-test, shifted"),
        col("z_constant_same", "numerical", [5.0] * R, [5.0] * C, "constant, same value: z-test p = 1"),
        col("z_constant_differ", "numerical", [1.0] * R, [2.0] * C, "constant, different values: z-test"),
        col("z_one_side_constant", "numerical", [1.0] * R, choice(C, [1.0, 2.0], [0.9, 0.1]), "reference constant, 2 values overall"),
        col("chisq_three_values", "numerical", choice(R, [1.0, 2.0, 3.0]), choice(C, [1.0, 2.0, 3.0]), "3 values: chi-square"),
        col("chisq_five_shift", "numerical", choice(R, [1.0, 2.0, 3.0, 4.0, 5.0]), choice(C, [1.0, 2.0, 3.0, 4.0, 5.0], [0.3, 0.2, 0.2, 0.2, 0.1]), "5 values: chi-square, shifted"),
        col("chisq_new_value", "numerical", choice(R, [1.0, 2.0, 3.0]), choice(C, [1.0, 2.0, 3.0, 4.0], [0.3, 0.3, 0.3, 0.1]), "a value only in current: expected 0, p = 0"),
        col("cat_chisq_same", "categorical", choice(R, letters), choice(C, letters), "categorical, 4 categories: chi-square"),
        col("cat_chisq_shift", "categorical", choice(R, letters), choice(C, letters, [0.4, 0.2, 0.2, 0.2]), "categorical chi-square, shifted"),
        col("cat_chisq_missing", "categorical", sprinkle(choice(R, letters), 0.1, [None]), sprinkle(choice(C, letters), 0.2, [None]), "missing categories dropped"),
        col("cat_chisq_dropped_category", "categorical", choice(R, letters), choice(C, ["a", "b", "c"]), "a category absent from current"),
        col("cat_int_codes", "categorical", [int(v) for v in rng.integers(0, 4, R)], [int(v) for v in rng.integers(0, 4, C)], "integer codes declared categorical"),
        col("cat_z_same", "categorical", choice(R, ["no", "yes"], [0.8, 0.2]), choice(C, ["no", "yes"], [0.8, 0.2]), "binary categorical: z-test"),
        col("cat_z_shift", "categorical", choice(R, ["no", "yes"], [0.8, 0.2]), choice(C, ["no", "yes"], [0.65, 0.35]), "binary categorical: z-test, shifted"),
        col("cat_z_constant", "categorical", ["x"] * R, ["x"] * C, "one category: z-test p = 1"),
    ]


def reference_boundary():
    R, C = 1200, 500
    return [
        col("ks_ref_1000_after_cleaning", "numerical", normal(1000, 3) + [NAN] * 200, normal(C, 3.1), "1,000 reference rows once NaN is dropped: still KS"),
        col("wass_ref_1001", "numerical", normal(1001, 3) + [INF] * 198 + [NAN], normal(C, 3.1), "1,001 rows left: Wasserstein"),
        col("ks_ref_999", "numerical", normal(999, 3), normal(C, 3.2), "999 rows: KS"),
        col("chisq_ref_1000", "categorical", choice(1000, ["p", "q", "r"]), choice(C, ["p", "q", "r"]), "categorical with 1,000 rows: chi-square"),
        col("js_ref_1001", "categorical", choice(1001, ["p", "q", "r"]), choice(C, ["p", "q", "r"], [0.5, 0.3, 0.2]), "categorical with 1,001 rows: Jensen-Shannon"),
        col("z_ref_1000", "categorical", choice(1000, ["on", "off"]), choice(C, ["on", "off"], [0.45, 0.55]), "binary with 1,000 rows: z-test"),
    ]


def large():
    R, C = 1500, 1200
    cats = [f"c{i:02d}" for i in range(30)]
    weights = rng.dirichlet(np.ones(30))
    shifted = rng.dirichlet(np.ones(30))
    return [
        col("wass_same", "numerical", normal(R, 50, 10), normal(C, 50, 10), "Wasserstein, same distribution"),
        col("wass_shift", "numerical", normal(R, 50, 10), normal(C, 53, 10), "Wasserstein, shifted"),
        col("wass_slight", "numerical", normal(R, 50, 10), normal(C, 50.6, 10), "Wasserstein, a small shift"),
        col("wass_scale", "numerical", num(rng.lognormal(1, 0.5, R), 3), num(rng.lognormal(1, 0.65, C), 3), "Wasserstein, wider spread"),
        col(
            "wass_nan_inf",
            "numerical",
            sprinkle(normal(R, 20, 4), 0.08, [NAN, INF]),
            sprinkle(normal(C, 21, 4), 0.08, [-INF, NAN]),
            "Wasserstein after dropping NaN and +-inf",
        ),
        col("wass_constant_reference", "numerical", [7.0] * R, normal(C, 7, 0.01, 3), "reference constant: std floor 0.001"),
        col("js_few_values_same", "numerical", choice(R, [0.0, 1.0, 2.0, 3.0]), choice(C, [0.0, 1.0, 2.0, 3.0]), "<= 5 values, large reference: Jensen-Shannon"),
        col("js_few_values_shift", "numerical", choice(R, [0.0, 1.0, 2.0, 3.0, 4.0]), choice(C, [0.0, 1.0, 2.0, 3.0, 4.0], [0.1, 0.1, 0.2, 0.3, 0.3]), "<= 5 values, shifted"),
        col("js_binary", "numerical", choice(R, [0.0, 1.0], [0.5, 0.5]), choice(C, [0.0, 1.0], [0.3, 0.7]), "2 values, large reference: Jensen-Shannon"),
        col("js_constant", "numerical", [3.0] * R, [3.0] * C, "constant, large reference: Jensen-Shannon 0"),
        col("cat_js_same", "categorical", choice(R, cats, weights), choice(C, cats, weights), "30 categories"),
        col("cat_js_shift", "categorical", choice(R, cats, weights), choice(C, cats, shifted), "30 categories, shifted"),
        col("cat_js_new_category", "categorical", choice(R, ["u", "v", "w"]), choice(C, ["u", "v", "w", "z"], [0.3, 0.3, 0.3, 0.1]), "a category only in current"),
        col("cat_js_missing", "categorical", sprinkle(choice(R, ["u", "v"]), 0.3, [None]), choice(C, ["u", "v"], [0.55, 0.45]), "missing categories dropped"),
        col("psi_many_values", "numerical", num(rng.integers(0, 40, R), 0), num(rng.integers(0, 40, C), 0), "40 integer values: PSI and JS over a Sturges histogram, values on its edges"),
    ]


def asymptotic():
    # scipy's ks_2samp switches to the asymptotic p-value (kstwo.sf at round(n1 n2 / (n1 + n2))) once the larger
    # sample passes 10,000; Evidently still picks KS while the reference has <= 1,000 rows. These columns reach
    # both sides of kstwo's n <= 140 split and its exact / Pomeranz / Pelz-Good / Smirnov regimes.
    R, C = 700, 10050
    return [
        col("ks_asym_n119_same", "numerical", normal(120), normal(C), "asymptotic KS, n = 119, no shift"),
        col("ks_asym_n119_shift", "numerical", normal(120), normal(C, 0.25), "asymptotic KS, n = 119, shifted"),
        col("ks_asym_n119_strong", "numerical", normal(120), normal(C, 0.6), "asymptotic KS, n = 119, strong shift"),
        col("ks_asym_n654_same", "numerical", normal(R), normal(C), "asymptotic KS, n = 654, no shift"),
        col("ks_asym_n654_shift", "numerical", normal(R), normal(C, 0.1), "asymptotic KS, n = 654, small shift"),
        col("ks_asym_n654_strong", "numerical", normal(R), normal(C, 1.5), "asymptotic KS, n = 654, p underflows to 0"),
    ]


def share_boundary():
    R, C = 300, 300
    return [
        col("half_a", "numerical", normal(R), normal(C, 1.0), "drifted"),
        col("half_b", "numerical", normal(R), normal(C, 1.0), "drifted"),
        col("half_c", "numerical", normal(R), normal(C), "not drifted"),
        col("half_d", "categorical", ["a", "b", "c"] * (R // 3), ["c", "b", "a"] * (C // 3), "same counts: not drifted"),
    ]


def below_share():
    R, C = 300, 280
    return [
        col("below_a", "numerical", normal(R), normal(C, 1.0), "drifted"),
        col("below_b", "numerical", normal(R), normal(C), "not drifted"),
        col("below_c", "categorical", choice(R, ["a", "b"]), choice(C, ["a", "b"]), "not drifted"),
    ]


def inf_without_nan():
    # The one place where Evidently disagrees with itself: ValueDrift drops the infinities, the dataset count
    # keeps them (see countMatchesColumns). Our code follows ValueDrift.
    R, C = 1100, 900
    reference = normal(R)
    reference[7] = INF
    return [
        col("inf_no_nan", "numerical", reference, normal(C, 0.5), "+inf in a reference without NaN, shifted"),
        col("inf_plain", "numerical", normal(R), normal(C, 0.5), "the same shift without +inf"),
        col("inf_not_drifted", "numerical", normal(R), normal(C), "not drifted"),
    ]


def empty_columns():
    cases = [
        ("current_all_nan", "numerical", normal(50), [NAN] * 40),
        ("reference_all_inf", "numerical", [INF, -INF] * 25, normal(40)),
        ("current_all_missing_category", "categorical", choice(50, ["a", "b"]), [None] * 40),
    ]
    out = []
    for name, kind, reference, current in cases:
        c = col(name, kind, reference, current, "empty once NaN and +-inf are dropped")
        try:
            run_report([c], len(reference), len(current))
            error = None
        except Exception as err:  # Evidently refuses the report: keep its words
            error = f"{type(err).__name__}: {err}"
        out.append({**c, "reference": [encode(v) for v in reference], "current": [encode(v) for v in current], "evidentlyError": error})
    return out


def scipy_cases():
    # kstwo: both tails, since each method computes one of them (the CDF where it is tiny is the test of
    # Durbin's matrix, Pomeranz and Pelz-Good; the SF where it is tiny that of the Smirnov tail).
    kstwo = []
    for n in [1, 2, 5, 20, 60, 100, 119, 140, 141, 300, 654, 1000, 5000, 20000]:
        fixed = [0.001, 0.3 / n, 0.75 / n, 1.0 / n, 1.5 / n, 0.02, 0.05, 0.08, 0.12, 0.2, 0.35, 0.5, 0.7, 0.9, 1 - 0.5 / n, 1.0]
        # n d^2 across Durbin (<= 0.754693), Pomeranz (<= 4) and the tail, n d^1.5 around 1.4, odd fractions of n d
        scaled = [math.sqrt(v / n) for v in (0.3, 0.6, 0.9, 1.3, 1.7, 2.1, 2.5, 3.1, 3.6, 3.95, 5.0, 10.0, 19.0, 40.0)]
        scaled += [(v / n) ** (2 / 3) for v in (1.0, 1.39, 1.41, 2.0)]
        for d in fixed + scaled:
            if 0 <= d <= 1:
                kstwo.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n)), "cdf": float(stats.kstwo.cdf(d, n))})
    chi2 = []
    for df in [1, 2, 3, 4, 7, 29]:
        for x in [0.0, 0.01, 0.5, 1.0, 2.5, 5.0, 11.3, 30.0, 80.0, 200.0]:
            chi2.append({"x": x, "df": df, "sf": float(stats.chi2.sf(x, df))})
    ks = []
    for n1, n2, shift in [(1, 1, 0), (3, 7, 0), (10, 10, 0.5), (25, 40, 0.8), (200, 200, 0.2), (150, 1000, 0.15), (999, 1000, 0.05), (1000, 10000, 0.04), (300, 10001, 0.1), (50, 20000, 0.3)]:
        a, b = normal(n1), normal(n2, shift)
        result = stats.ks_2samp(a, b)
        ks.append({"reference": a, "current": b, "statistic": float(result.statistic), "pvalue": float(result.pvalue)})
    return {"kstwoSf": kstwo, "chi2Sf": chi2, "ks2samp": ks}


def main(path):
    warnings.simplefilter("ignore")
    golden = {
        "generator": {
            "script": "test/drift/make_golden.py",
            "seed": SEED,
            "evidently": evidently.__version__,
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "datasets": [
            dataset("small-mixed", small_mixed(), "reference 400, current 300 rows: every small-reference test"),
            dataset("reference-boundary", reference_boundary(), "the 1,000-row reference boundary, counted after cleaning"),
            dataset("large", large(), "reference 1,500, current 1,200 rows: Wasserstein and Jensen-Shannon"),
            dataset("asymptotic-ks", asymptotic(), "current above 10,000 rows: scipy's asymptotic KS p-value", overrides=()),
            dataset("share-boundary", share_boundary(), "2 of 4 columns drift: share 0.5 is dataset drift"),
            dataset("below-share", below_share(), "1 of 3 columns drifts: no dataset drift"),
            dataset("inf-without-nan", inf_without_nan(), "+inf and no NaN: Evidently's count differs from its columns", overrides=()),
        ],
        "emptyColumns": empty_columns(),
        "scipy": scipy_cases(),
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(golden, out, separators=(",", ":"), allow_nan=False)
        out.write("\n")
    columns = sum(len(d["columns"]) for d in golden["datasets"])
    print(f"wrote {path}: {len(golden['datasets'])} datasets, {columns} columns, {len(golden['emptyColumns'])} empty columns")


if __name__ == "__main__":
    main(sys.argv[1])

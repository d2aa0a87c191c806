"""Evidently 0.7's verdicts on the Lyon 2024 drift cases of issue 14's acceptance.

Run through `npm run drift:golden` (test/drift/make-golden.ts), after make_golden.py, in the same pinned venv.
make-golden.ts writes the tables into a temporary folder with test/support/lyon-drift-cases.ts, the code the
unit tests use: `reference.json` (the champion's training snapshot as monitored rows) and one file per case
(`cases.json` lists them with their names), each a JSON object {"columns": {name: [value or null, ...]}} with
the instant features, then `prediction` and `target`.

For each case, as the champion monitor reports it (core/monitoring/champion/report.ts): one DataDriftPreset
over the features (per column and the dataset verdict), and one over the prediction and the actual index
(two columns judged on their own; Evidently decides each column alone, so they share a report). Writes only
the outcomes, and the sha256 of the files read, to the output path; the tables themselves are megabytes and
are rebuilt by the test from the bundled CSV.
"""

import hashlib
import json
import os
import sys
import warnings

import evidently
import numpy as np
import pandas as pd
import scipy

from make_golden import col, run_report


def read_table(path):
    with open(path, "rb") as f:
        raw = f.read()
    columns = json.loads(raw)["columns"]
    rows = {len(values) for values in columns.values()}
    if len(rows) != 1:
        raise ValueError(f"{path}: columns of different lengths {sorted(rows)}")
    return columns, rows.pop(), hashlib.sha256(raw).hexdigest()


def report(reference, current, names, ref_rows, cur_rows):
    columns = [col(name, "numerical", reference[name], current[name], "") for name in names]
    result = run_report(columns, ref_rows, cur_rows)
    if not result["countMatchesColumns"]:
        raise ValueError("Evidently's dataset count disagrees with its column verdicts (an infinite value?)")
    del result["countMatchesColumns"]
    return result


def main(folder, path):
    warnings.simplefilter("ignore")
    reference, ref_rows, ref_sha = read_table(os.path.join(folder, "reference.json"))
    with open(os.path.join(folder, "cases.json"), encoding="utf-8") as f:
        listed = json.load(f)
    features = [name for name in reference if name not in ("prediction", "target")]
    cases = []
    for case in listed["cases"]:
        current, cur_rows, cur_sha = read_table(os.path.join(folder, case["file"]))
        if list(current) != list(reference):
            raise ValueError(f"{case['file']}: columns differ from the reference's")
        served = report(reference, current, ["prediction", "target"], ref_rows, cur_rows)
        cases.append(
            {
                "name": case["name"],
                "current": {"rows": cur_rows, "sha256": cur_sha},
                "features": report(reference, current, features, ref_rows, cur_rows),
                "prediction": served["columns"][0],
                "target": served["columns"][1],
            }
        )
        print(f"  {case['name']}: dataset drift {cases[-1]['features']['datasetDrift']}")
    out = {
        "generator": {
            "script": "test/drift/make_lyon_golden.py",
            "tables": "test/support/lyon-drift-cases.ts",
            "data": "data/open-meteo/lyon-2024-hourly.csv: Air quality data by Open-Meteo.com (CAMS), CC BY 4.0",
            "evidently": evidently.__version__,
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
        },
        "reference": {"rows": ref_rows, "sha256": ref_sha, "features": features},
        "cases": cases,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {path}: {len(cases)} Lyon cases")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

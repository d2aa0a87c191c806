"""The seed's serving stack, rebuilt as the comparison point for `npm run bench:api` (issue 5).

FastAPI + uvicorn + a LightGBM model on the seed's five instant features (log10(x+1)), trained at start on
the Lyon 2024 export (January-October, as bench/training.ts). Same contract as ours: POST /predict with
{"data": {...}} or {"data": [...]}, GET /health.

Run (from the repository root; bench/api.ts does this itself):
    python3 -m venv .tools/venvs/lightgbm-ref
    .tools/venvs/lightgbm-ref/bin/pip install -r bench/reference/requirements.txt -r bench/reference/requirements-api.txt
    .tools/venvs/lightgbm-ref/bin/python bench/reference/fastapi_server.py --port 8765

Data: Air quality data by Open-Meteo.com (CAMS), CC BY 4.0.
"""

import argparse
import sys
from pathlib import Path
from typing import List, Union

import lightgbm as lgb
import numpy as np
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lightgbm_reference import DEFAULT_CSV, INSTANT, SEED, VALIDATION_FROM, GAP, load  # noqa: E402


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pm2_5: float = Field(ge=0)
    pm10: float = Field(ge=0)
    carbon_monoxide: float = Field(ge=0)
    sulphur_dioxide: float = Field(ge=0)
    uv_index: float = Field(ge=0)


class Body(BaseModel):
    data: Union[Row, List[Row]]


def train() -> lgb.Booster:
    frame = load(DEFAULT_CSV).dropna(subset=INSTANT + ["european_aqi"])
    train_rows = frame[frame.index < VALIDATION_FROM - GAP]
    x = np.log10(train_rows[INSTANT].to_numpy() + 1)
    params = {"objective": "regression", "learning_rate": 0.05, "num_leaves": 31, "seed": SEED, "verbosity": -1}
    return lgb.train(params, lgb.Dataset(x, train_rows["european_aqi"].to_numpy()), num_boost_round=300)


booster = train()
app = FastAPI()


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/predict")
def predict(body: Body):
    rows = body.data if isinstance(body.data, list) else [body.data]
    x = np.log10(np.array([[getattr(r, name) for name in INSTANT] for r in rows]) + 1)
    values = booster.predict(x).tolist()
    if isinstance(body.data, list):
        return {"predictions": [{"european_aqi": v} for v in values]}
    return {"european_aqi": values[0]}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")

/**
 * The index a client is given for a model's output: the serving rule of `POST /predict`, `GET /forecast` and
 * the models' MLflow `python_function` scorer (adapters/mlflow/python/aqi_pyfunc.py, `served_index`), kept
 * here so all three answer the same number for the same row.
 *
 * A European AQI is never negative (it is the worst pollutant's sub-index, each ≥ 0), but a model's raw
 * output can be: the ridge correction extrapolates linearly and boosting sums signed corrections, so very
 * clean air can land a little below 0. The served index is that output floored at 0, and otherwise the
 * model's number unchanged (no rounding, no cap): a floor only removes an impossible value, it moves no
 * possible one. `Model.predict` keeps returning the raw output, which evaluation scores.
 */
export function servedIndex(value: number): number {
  return Math.max(0, value);
}

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

/**
 * What a client would be served for each row: the model's output floored by `servedIndex`. The routes and
 * the champion monitor predict through here, so a monitored prediction is the number the API answers.
 * `persistence` (the index at prediction time) is only read by a persistence model.
 */
export function servedPredictions(
  model: { predict(x: readonly number[][], persistence?: readonly number[]): number[] },
  x: readonly number[][],
  persistence?: readonly number[],
): number[] {
  return model.predict(x, persistence).map(servedIndex);
}

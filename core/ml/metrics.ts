import { eaqiBand, type EaqiBand } from '../air-quality/european-aqi';
import { AppError } from '../errors';

/** Metrics of predictions against the reported index. With no examples, n is 0 and the errors are NaN. */
export interface RegressionMetrics {
  n: number;
  mae: number;
  rmse: number;
  /** 1 − SS_res / SS_tot; 0 when the actual values are constant (no variance to explain) and not matched exactly. */
  r2: number;
  /** MAE within each band of the ACTUAL index: how wrong the model is when the air really is poor. */
  maeByBand: Partial<Record<EaqiBand, { n: number; mae: number }>>;
}

export function regressionMetrics(actual: readonly number[], predicted: readonly number[]): RegressionMetrics {
  const n = actual.length;
  if (n !== predicted.length) {
    throw new AppError('METRICS_LENGTH_MISMATCH', `${n} actual values for ${predicted.length} predictions`, {
      operational: false,
    });
  }
  // An empty window has no error to speak of: NaN (never a misleading 0), which any MAE comparison fails.
  if (n === 0) return { n, mae: NaN, rmse: NaN, r2: NaN, maeByBand: {} };

  const meanActual = actual.reduce((s, v) => s + v, 0) / n;
  let absolute = 0;
  let squared = 0;
  let total = 0;
  const byBand: Partial<Record<EaqiBand, { n: number; sum: number }>> = {};
  actual.forEach((value, i) => {
    const error = (predicted[i] as number) - value;
    if (!Number.isFinite(error)) {
      throw new AppError('NON_FINITE_PREDICTION', `example ${i}: ${predicted[i]} for ${value}`, { operational: false });
    }
    absolute += Math.abs(error);
    squared += error * error;
    total += (value - meanActual) ** 2;
    const band = (byBand[eaqiBand(value)] ??= { n: 0, sum: 0 });
    band.n++;
    band.sum += Math.abs(error);
  });
  const maeByBand: RegressionMetrics['maeByBand'] = {};
  for (const [band, { n: count, sum }] of Object.entries(byBand) as [EaqiBand, { n: number; sum: number }][]) {
    maeByBand[band] = { n: count, mae: sum / count };
  }
  let r2: number;
  if (total > 0) r2 = 1 - squared / total;
  else r2 = squared === 0 ? 1 : 0;
  return { n, mae: absolute / n, rmse: Math.sqrt(squared / n), r2, maeByBand };
}

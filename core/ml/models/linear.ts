import { AppError } from '../../errors';

/**
 * Ridge regression, the baseline a learned model must beat. Features are standardized before the penalty so
 * it weighs every coefficient alike; the coefficients are then mapped back to raw feature units, so a
 * prediction is just intercept + w·x. Solved exactly (normal equations, Gaussian elimination with partial
 * pivoting): a few dozen features never need an iterative solver.
 */

export interface LinearParams {
  /** L2 penalty relative to the number of rows (λ·n added to the standardized normal matrix's diagonal). */
  ridge: number;
}

export interface LinearWeights {
  intercept: number;
  weights: number[];
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    }
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const pivotRow = m[col] as number[];
    const p = pivotRow[col] as number;
    if (Math.abs(p) < 1e-12)
      throw new AppError('LINEAR_SINGULAR', 'the features are collinear; raise the ridge penalty');
    for (let r = col + 1; r < n; r++) {
      const row = m[r] as number[];
      const factor = (row[col] as number) / p;
      if (factor !== 0) for (let c = col; c <= n; c++) row[c] = (row[c] as number) - factor * (pivotRow[c] as number);
    }
  }
  const w = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let s = row[n] as number;
    for (let c = r + 1; c < n; c++) s -= (row[c] as number) * (w[c] as number);
    w[r] = s / (row[r] as number);
  }
  return w;
}

export function trainLinear(x: readonly number[][], y: readonly number[], params: LinearParams): LinearWeights {
  const n = y.length;
  const d = x[0]?.length ?? 0;
  if (n === 0) throw new AppError('NO_EXAMPLES', 'a linear model needs at least one example', { httpStatus: 422 });
  const column = (j: number) => x.map((row) => row[j] as number);
  const means = Array.from({ length: d }, (_, j) => column(j).reduce((s, v) => s + v, 0) / n);
  // A constant column gets scale 1: its standardized values are all 0 and the ridge term pins its weight to 0.
  const scales = Array.from({ length: d }, (_, j) => {
    const sd = Math.sqrt(column(j).reduce((s, v) => s + (v - (means[j] as number)) ** 2, 0) / n);
    return sd > 0 ? sd : 1;
  });
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  const xtx = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const xty = new Array<number>(d).fill(0);
  const z = new Array<number>(d);
  x.forEach((row, i) => {
    for (let j = 0; j < d; j++) z[j] = ((row[j] as number) - (means[j] as number)) / (scales[j] as number);
    const yc = (y[i] as number) - yMean;
    for (let j = 0; j < d; j++) {
      const zj = z[j] as number;
      xty[j] = (xty[j] as number) + zj * yc;
      const r = xtx[j] as number[];
      for (let k = j; k < d; k++) r[k] = (r[k] as number) + zj * (z[k] as number);
    }
  });
  for (let j = 0; j < d; j++) {
    const r = xtx[j] as number[];
    for (let k = 0; k < j; k++) r[k] = (xtx[k] as number[])[j] as number;
    r[j] = (r[j] as number) + params.ridge * n;
  }
  const standardized = solve(xtx, xty);
  const weights = standardized.map((w, j) => w / (scales[j] as number));
  const intercept = yMean - weights.reduce((s, w, j) => s + w * (means[j] as number), 0);
  return { intercept, weights };
}

export function predictLinear(model: LinearWeights, row: readonly number[]): number {
  return model.weights.reduce((s, w, j) => s + w * (row[j] as number), model.intercept);
}

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
  const scales = Array.from({ length: d }, (_, j) =>
    Math.sqrt(column(j).reduce((s, v) => s + (v - (means[j] as number)) ** 2, 0) / n),
  );
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  // A constant column carries no information and would make the system singular without a penalty: weight 0.
  const active = Array.from({ length: d }, (_, j) => j).filter((j) => (scales[j] as number) > 0);
  const k = active.length;
  const xtx = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const xty = new Array<number>(k).fill(0);
  const z = new Array<number>(k);
  x.forEach((row, i) => {
    active.forEach((j, a) => (z[a] = ((row[j] as number) - (means[j] as number)) / (scales[j] as number)));
    const yc = (y[i] as number) - yMean;
    for (let a = 0; a < k; a++) {
      const za = z[a] as number;
      xty[a] = (xty[a] as number) + za * yc;
      const r = xtx[a] as number[];
      for (let b = a; b < k; b++) r[b] = (r[b] as number) + za * (z[b] as number);
    }
  });
  for (let a = 0; a < k; a++) {
    const r = xtx[a] as number[];
    for (let b = 0; b < a; b++) r[b] = (xtx[b] as number[])[a] as number;
    r[a] = (r[a] as number) + params.ridge * n;
  }
  const standardized = k === 0 ? [] : solve(xtx, xty);
  const weights = new Array<number>(d).fill(0);
  active.forEach((j, a) => (weights[j] = (standardized[a] as number) / (scales[j] as number)));
  const intercept = yMean - weights.reduce((s, w, j) => s + w * (means[j] as number), 0);
  return { intercept, weights };
}

export function predictLinear(model: LinearWeights, row: readonly number[]): number {
  return model.weights.reduce((s, w, j) => s + w * (row[j] as number), model.intercept);
}

/** Ordinary least squares y = intercept + slope·x, with R² (the share of y's variance the line explains). */
export interface LineFit {
  slope: number;
  intercept: number;
  /** 0 when y does not vary (nothing to explain). */
  r2: number;
  n: number;
}

/** The fit, or undefined with fewer than 2 points or when x does not vary. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit | undefined {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return undefined;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += xs[i] as number;
    meanY += ys[i] as number;
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    const dy = (ys[i] as number) - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const explained = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: meanY - slope * meanX, r2: explained, n };
}

/** Residual sum of squares of the least-squares line through the points (`Infinity` when x does not vary). */
export function residualSumOfSquares(xs: readonly number[], ys: readonly number[]): number {
  const fit = fitLine(xs, ys);
  if (fit === undefined) return Number.POSITIVE_INFINITY;
  let sse = 0;
  for (let i = 0; i < fit.n; i++) {
    const residual = (ys[i] as number) - (fit.intercept + fit.slope * (xs[i] as number));
    sse += residual * residual;
  }
  return sse;
}

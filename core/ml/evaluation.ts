import { type Examples } from './examples';
import { type ModelKind } from './feature-spec';
import { regressionMetrics, type RegressionMetrics } from './metrics';
import { type Model } from './models';

/**
 * Held-out evaluation and the promotion gate. A candidate must beat its kind's naive baseline (linear on the
 * instant inputs; persistence for forecasts) on the same examples, and must not be worse than the current
 * champion beyond a relative tolerance, so retraining on noisier data cannot quietly degrade what is served.
 */

export function evaluate(model: Model, examples: Examples): RegressionMetrics {
  return regressionMetrics(examples.y, model.predict(examples.x, examples.persistence));
}

export interface GateInput {
  kind: ModelKind;
  candidate: RegressionMetrics;
  /** Linear for instant, persistence for forecast, evaluated on the candidate's examples. */
  baseline: RegressionMetrics;
  champion?: RegressionMetrics;
  /** Relative MAE the candidate may lose to the champion, e.g. 0.05. */
  tolerance: number;
}

export interface GateResult {
  passed: boolean;
  /** One line per check, passed or not, so a report shows why a model was or was not promoted. */
  reasons: string[];
}

const baselineName: Record<ModelKind, string> = { instant: 'linear', forecast: 'persistence' };
const mae = (m: RegressionMetrics) => m.mae.toFixed(3);

export function evaluateGate(input: GateInput): GateResult {
  const { kind, candidate, baseline, champion, tolerance } = input;
  const reasons: string[] = [];
  let passed = true;
  const check = (ok: boolean, reason: string) => {
    passed &&= ok;
    reasons.push(`${ok ? 'pass' : 'fail'}: ${reason}`);
  };

  if (!(tolerance >= 0 && Number.isFinite(tolerance))) {
    check(false, `tolerance ${tolerance} is not a finite number ≥ 0`);
  }
  check(candidate.n > 0, `the candidate is evaluated on ${candidate.n} examples`);
  check(
    baseline.n === candidate.n,
    `the ${baselineName[kind]} baseline is evaluated on ${baseline.n} examples, the candidate on ${candidate.n}`,
  );
  check(
    candidate.mae < baseline.mae,
    `candidate MAE ${mae(candidate)} ${candidate.mae < baseline.mae ? 'beats' : 'does not beat'} the ${baselineName[kind]} baseline's ${mae(baseline)}`,
  );
  if (champion === undefined) {
    reasons.push('pass: no champion to compare with');
  } else {
    const limit = champion.mae * (1 + tolerance);
    check(
      candidate.mae <= limit,
      `candidate MAE ${mae(candidate)} ${candidate.mae <= limit ? 'is within' : 'exceeds'} the champion's ${mae(champion)} + ${(tolerance * 100).toFixed(1)} % (${limit.toFixed(3)})`,
    );
  }
  return { passed, reasons };
}

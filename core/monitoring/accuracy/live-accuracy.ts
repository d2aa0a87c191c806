/**
 * Live accuracy (issue 14, deliverable 3): how far a model version's served predictions for real hours were
 * from the actual index once it was stored, beside the MAE the same version scored on its training holdout.
 * Pure: the prediction log's aggregates come in, the comparison goes out.
 */

/** What the prediction log holds for one model version and horizon over a window of target hours. */
export interface PredictionTally {
  modelName: string;
  modelVersion: string;
  horizonHours: number;
  /** The window of target hours [from, to). */
  from: string;
  to: string;
  /** Predictions whose actual is stored. */
  resolved: number;
  /** Distinct target hours among them (several locations predict the same hour). */
  hours: number;
  /** Predictions still waiting for their actual. */
  pending: number;
  /** Mean absolute error of the resolved predictions; undefined when none is resolved. */
  mae?: number;
}

export interface LiveAccuracy extends PredictionTally {
  /** The version's MAE on its training holdout (metric `test_mae` of its run); undefined when unknown. */
  holdoutMae?: number;
  /** mae / holdoutMae: 1 is as good live as on the holdout, 1.25 is a quarter worse. */
  ratio?: number;
}

export function withHoldout(tally: PredictionTally, holdoutMae: number | undefined): LiveAccuracy {
  const ratio =
    tally.mae !== undefined && holdoutMae !== undefined && holdoutMae > 0 ? tally.mae / holdoutMae : undefined;
  return {
    ...tally,
    ...(holdoutMae === undefined ? {} : { holdoutMae }),
    ...(ratio === undefined ? {} : { ratio }),
  };
}

/** One line a person reads: "live MAE 7.1 over 96 h (holdout 5.2, 1.37×)". */
export function describeAccuracy(a: LiveAccuracy): string {
  if (a.mae === undefined) return `no resolved prediction yet (${a.pending} waiting for their hour)`;
  const holdout =
    a.holdoutMae === undefined
      ? 'holdout unknown'
      : `holdout ${a.holdoutMae.toFixed(2)}, ${(a.ratio ?? 0).toFixed(2)}×`;
  return `live MAE ${a.mae.toFixed(2)} over ${a.hours} h, ${a.resolved} predictions (${holdout})`;
}

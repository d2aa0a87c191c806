/**
 * Flatline (QARTOD flat line test; EPA screening's repeated values): the same value (within `tolerance`)
 * for `readings` consecutive readings. Sensors that report whole units repeat legitimately at low values in
 * clean air (PM2.5 = 1 µg/m³ for many minutes at night), so a run at or below `lowValue` must last
 * `lowFactor` times as long. The run starts at its first reading: that is when the sensor stopped moving,
 * and it is the anomaly's start; the flag and the anomaly come on the reading that makes the run long
 * enough, so detection lags the rule's length by nothing.
 */
export interface FlatlineLimits {
  readings: number;
  lowValue: number | null;
  lowFactor: number;
  tolerance: number;
}

export interface FlatlineState {
  value: number | null;
  startMs: number;
  readings: number;
}

export interface FlatlineRun {
  startMs: number;
  value: number;
  readings: number;
  required: number;
  /** Run length over the required length; ≥ 1. */
  score: number;
}

export class FlatlineCheck {
  private state: FlatlineState;

  constructor(
    private readonly limits: FlatlineLimits,
    state: FlatlineState = { value: null, startMs: 0, readings: 0 },
  ) {
    this.state = { ...state };
  }

  /** The run this reading belongs to when it is long enough to be a flatline. */
  observe(value: number, ms: number): FlatlineRun | undefined {
    const run = this.state;
    // 1e-9 absorbs the binary rounding of decimal readings: 20.05 − 20 is 0.0500000000000007.
    if (run.value !== null && Math.abs(value - run.value) <= this.limits.tolerance + 1e-9) run.readings++;
    else this.state = { value, startMs: ms, readings: 1 };
    const { value: runValue, startMs, readings } = this.state;
    const required = this.requiredFor(runValue as number);
    return readings >= required
      ? { startMs, value: runValue as number, readings, required, score: readings / required }
      : undefined;
  }

  requiredFor(value: number): number {
    const { readings, lowValue, lowFactor } = this.limits;
    return lowValue !== null && value <= lowValue ? readings * lowFactor : readings;
  }

  snapshot(): FlatlineState {
    return { ...this.state };
  }
}

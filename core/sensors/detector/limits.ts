import type { AnomalyType } from '../anomaly';
import type { DropoutLimits } from '../checks/dropout';
import type { FlatlineLimits } from '../checks/flatline';
import type { RepeatLimits } from '../checks/repeated';
import type { SpikeLimits } from '../checks/spike';
import type { StepLimits } from '../checks/step';
import { sensorMeasurementNames, type SensorMeasurementName } from '../reading';
import type { DetectorThresholds } from '../thresholds';

/** The thresholds arranged per check, in milliseconds: computed once per detector, shared by its sensors. */
export interface CheckLimits {
  dropout: DropoutLimits;
  futureToleranceMs: number;
  sentinels: readonly number[];
  criticalScore: number;
  /** How far back a sensor remembers the timestamps it has checked, to call a re-sent one a duplicate. */
  duplicateMemoryMs: number;
  /** When single-reading faults of one measurement, repeated, make a sustained fault. */
  repeats: Record<RepeatedFaultType, RepeatLimits>;
  measurements: Record<SensorMeasurementName, MeasurementLimits>;
}

/** The sustained faults made of repeated single-reading ones. */
export const repeatedFaultTypes = [
  'repeated_out_of_range',
  'frequent_spikes',
] as const satisfies readonly AnomalyType[];
export type RepeatedFaultType = (typeof repeatedFaultTypes)[number];

export interface MeasurementLimits {
  range: { min: number; max: number };
  maxChangePerMinute: number;
  spike: SpikeLimits;
  flatline: FlatlineLimits;
  step: StepLimits;
}

export function checkLimits(t: DetectorThresholds): CheckLimits {
  const expectedIntervalMs = t.expectedIntervalSeconds * 1000;
  const allowedLatenessMs = t.allowedLatenessSeconds * 1000;
  const measurement = (name: SensorMeasurementName): MeasurementLimits => {
    const m = t.measurements[name];
    const spikeFloor = { absolute: m.sdFloor, relative: t.sdFloorRelative };
    const stepFloor = { absolute: m.stepNoiseFloor, relative: t.sdFloorRelative };
    return {
      range: { min: m.min, max: m.max },
      maxChangePerMinute: m.maxChangePerMinute,
      spike: {
        window: t.hampelWindow,
        centerReadings: t.hampelCenterReadings,
        minReadings: t.hampelMinReadings,
        k: t.hampelK,
        backK: t.hampelBackK,
        maxReadings: t.spikeMaxReadings,
        floor: spikeFloor,
      },
      flatline: {
        readings: m.flatlineReadings,
        lowValue: m.flatlineLowValue,
        lowFactor: t.flatlineLowValueFactor,
        tolerance: m.flatlineTolerance,
      },
      step: {
        readings: t.stepReadings,
        k: t.stepK,
        minChange: m.stepMinChange,
        minRelativeChange: t.stepMinRelativeChange,
        sharpReadings: t.stepSharpReadings,
        sharpness: t.stepSharpness,
        floor: stepFloor,
      },
    };
  };
  return {
    dropout: { expectedIntervalMs, dropoutIntervals: t.dropoutIntervals, allowedLatenessMs },
    futureToleranceMs: t.futureToleranceSeconds * 1000,
    sentinels: t.sentinels,
    criticalScore: t.criticalScore,
    duplicateMemoryMs: allowedLatenessMs + expectedIntervalMs,
    repeats: {
      repeated_out_of_range: {
        windowMs: t.outOfRangeRepeatSeconds * 1000,
        // More than the share of the readings expected in the window.
        count: Math.floor((t.outOfRangeRepeatShare * t.outOfRangeRepeatSeconds) / t.expectedIntervalSeconds) + 1,
      },
      frequent_spikes: { windowMs: t.frequentSpikesSeconds * 1000, count: t.frequentSpikesCount },
    },
    measurements: Object.fromEntries(sensorMeasurementNames.map((name) => [name, measurement(name)])) as Record<
      SensorMeasurementName,
      MeasurementLimits
    >,
  };
}

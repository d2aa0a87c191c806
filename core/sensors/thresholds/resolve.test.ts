import { AppError } from '../../errors';
import { checkLimits } from '../detector/limits';
import { sensorMeasurementNames } from '../reading';

import { defaultDetectorThresholds } from './defaults';
import { resolveDetectorThresholds } from './resolve';
import { detectorThresholds } from './schema';

describe('resolveDetectorThresholds', () => {
  it('when nothing is overridden, then the documented defaults apply and pass their own schema', () => {
    expect(resolveDetectorThresholds()).toEqual(defaultDetectorThresholds);
    expect(detectorThresholds.safeParse(defaultDetectorThresholds).success).toBe(true);
    expect(defaultDetectorThresholds).toMatchObject({
      expectedIntervalSeconds: 60,
      allowedLatenessSeconds: 300,
      hampelK: 6,
      dropoutIntervals: 2.5,
      slopeMin: 0.65,
      slopeMax: 1.35,
      slopeMinR2: 0.7,
      neighbourMinCount: 3,
    });
    expect(Object.keys(defaultDetectorThresholds.measurements).sort()).toEqual([...sensorMeasurementNames].sort());
  });

  it('when one general and one per-measurement limit are overridden, then only they change', () => {
    const resolved = resolveDetectorThresholds({
      hampelK: 5,
      allowedLatenessSeconds: undefined,
      measurements: { no2: { min: -5 } },
    });

    expect(resolved.hampelK).toBe(5);
    expect(resolved.allowedLatenessSeconds).toBe(defaultDetectorThresholds.allowedLatenessSeconds);
    expect(resolved.measurements.no2).toEqual({ ...defaultDetectorThresholds.measurements.no2, min: -5 });
    expect(resolved.measurements.pm2_5).toEqual(defaultDetectorThresholds.measurements.pm2_5);
  });

  it('when sustained faults are counted from repeated ones, then out-of-range needs more than the share of the readings in the window', () => {
    const limits = (overrides: object) => checkLimits(resolveDetectorThresholds(overrides)).repeats;

    expect(limits({})).toEqual({
      repeated_out_of_range: { windowMs: 3_600_000, count: 16 },
      frequent_spikes: { windowMs: 3_600_000, count: 5 },
    });
    expect(limits({ expectedIntervalSeconds: 120 }).repeated_out_of_range.count).toBe(8);
    expect(limits({ outOfRangeRepeatShare: 0.5, frequentSpikesCount: 3 })).toMatchObject({
      repeated_out_of_range: { count: 31 },
      frequent_spikes: { count: 3 },
    });
    expect(() => resolveDetectorThresholds({ outOfRangeRepeatShare: 0 })).toThrow(/invalid detector thresholds/);
    expect(() => resolveDetectorThresholds({ frequentSpikesCount: 1 })).toThrow(/invalid detector thresholds/);
  });

  it('when the back threshold is not below the spike threshold, then the thresholds are refused with a 400', () => {
    const resolve = () => resolveDetectorThresholds({ hampelBackK: 6 });

    expect(resolve).toThrow(AppError);
    expect(resolve).toThrow(/hampelBackK must be below hampelK/);
    try {
      resolve();
    } catch (error) {
      expect((error as AppError).httpStatus).toBe(400);
    }
  });

  it('when a spike may last half a step window, then the thresholds are refused', () => {
    expect(() => resolveDetectorThresholds({ spikeMaxReadings: 15 })).toThrow(/spikeMaxReadings must be under half/);
  });

  it('when a range is empty, then the thresholds are refused', () => {
    expect(() => resolveDetectorThresholds({ measurements: { pm10: { min: 10, max: 10 } } })).toThrow(/min below max/);
  });

  it('when an override names an unknown limit or gives a wrong type, then it is refused', () => {
    expect(() => resolveDetectorThresholds({ hampelk: 5 })).toThrow(/invalid detector thresholds/);
    expect(() => resolveDetectorThresholds({ measurements: { pm1: { min: 0 } } })).toThrow(
      /invalid detector thresholds/,
    );
    expect(() => resolveDetectorThresholds({ dropoutIntervals: '3' })).toThrow(/invalid detector thresholds/);
  });
});

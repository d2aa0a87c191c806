import { resolveDetectorThresholds } from '../thresholds';

import { checkLimits } from './limits';

describe('checkLimits', () => {
  it('when the spike and step floors differ, then the spike check gets sdFloor and the step check stepNoiseFloor', () => {
    const limits = checkLimits(
      resolveDetectorThresholds({ sdFloorRelative: 0.1, measurements: { no2: { sdFloor: 4, stepNoiseFloor: 1.5 } } }),
    );

    expect(limits.measurements.no2.spike.floor).toEqual({ absolute: 4, relative: 0.1 });
    expect(limits.measurements.no2.step.floor).toEqual({ absolute: 1.5, relative: 0.1 });
  });
});

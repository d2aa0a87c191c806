import { defaultDetectorThresholds as thresholds } from '../thresholds';

import { calibrationVerdict } from './calibration-verdict';

describe('calibrationVerdict', () => {
  it('when slope, intercept and R² meet EPA targets, then it is within targets', () => {
    expect(calibrationVerdict({ slope: 1.2, intercept: -3, r2: 0.9 }, 'pm2_5', thresholds)).toEqual({
      withinTargets: true,
      outside: [],
    });
  });

  it('when each target is missed, then each is named, in order', () => {
    expect(calibrationVerdict({ slope: 1.6, intercept: 6, r2: 0.5 }, 'pm2_5', thresholds)).toEqual({
      withinTargets: false,
      outside: ['slope', 'intercept', 'r2'],
    });
    // NO2's intercept band is its own (±10 µg/m³): 6 is within it.
    expect(calibrationVerdict({ slope: 0.6, intercept: 6, r2: 0.9 }, 'no2', thresholds).outside).toEqual(['slope']);
  });
});

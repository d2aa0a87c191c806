import { modelIdentityOf } from './model-names';
import { modelNameFor } from './promotion';

describe('what a registered model name stands for', () => {
  it('when the name is one modelNameFor writes, then its kind and horizon come back', () => {
    expect(modelIdentityOf(modelNameFor('instant', 0))).toEqual({ kind: 'instant', horizonHours: 0 });
    for (const h of [1, 6, 24]) {
      expect(modelIdentityOf(modelNameFor('forecast', h))).toEqual({ kind: 'forecast', horizonHours: h });
    }
  });

  it('when the name is another model or another spelling, then it is not one of the platform models', () => {
    for (const name of [
      'aqi-eaqi-forecast-06h',
      'aqi-eaqi-forecast-0h',
      'aqi-eaqi-forecast-h',
      'aqi-eaqi-forecast-6',
      'x-aqi-eaqi-instant',
      'churn',
    ]) {
      expect(modelIdentityOf(name)).toBeUndefined();
    }
  });
});

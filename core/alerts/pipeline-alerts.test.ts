import { alert } from './alert';
import { accuracyDegradedAlert } from './pipeline-alerts';

describe('accuracyDegradedAlert', () => {
  it('when a version degrades, then the key names the model, version and horizon, never the window or the time', () => {
    const input = {
      workflowId: 'monitor-aqi-eaqi-instant',
      modelName: 'aqi-eaqi-instant',
      version: '4',
      horizonHours: 0,
      ratio: 1.4,
      maeMargin: 0.25,
      summary: '+0 h: live MAE 7.00 over 96 h',
      at: '2025-01-02T02:00:00Z',
    };

    const first = accuracyDegradedAlert(input);
    const nextDay = accuracyDegradedAlert({ ...input, ratio: 1.6, at: '2025-01-03T02:00:00Z' });

    expect(first.key).toBe('accuracy:aqi-eaqi-instant:4:+0h');
    expect(nextDay.key).toBe(first.key);
    expect(first).toMatchObject({ kind: 'model_degraded', facts: { 'live / holdout MAE': 1.4 } });
    expect(first.text).toContain('retraining margin of 25 %');
    const { workflowId, ...asSent } = first;
    expect(workflowId).toBe(input.workflowId);
    expect(() => alert.parse(asSent)).not.toThrow();
  });
});

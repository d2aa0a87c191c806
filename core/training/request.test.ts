import { trainingRequest, trainingWorkflowId } from './request';

describe('training requests', () => {
  it('when only the kind is given, then the bundled-data defaults fill the rest', () => {
    const request = trainingRequest.parse({ kind: 'forecast' });
    expect(request).toMatchObject({
      kind: 'forecast',
      horizonHours: 24,
      algorithm: 'random-forest',
      locationIds: ['lyon'],
      testFrom: '2024-12-01T00:00:00Z',
    });
  });

  it('when windows are out of order or an instant model gets a horizon, then the field is named', () => {
    const disordered = trainingRequest.safeParse({ kind: 'instant', testFrom: '2024-10-01T00:00:00Z' });
    expect(disordered.success).toBe(false);
    expect(disordered.error?.issues[0]?.path).toEqual(['testFrom']);
    const horizon = trainingRequest.safeParse({ kind: 'instant', horizonHours: 6 });
    expect(horizon.error?.issues[0]?.path).toEqual(['horizonHours']);
  });

  it('when an unknown field or a non-hour time is sent, then it is refused', () => {
    expect(trainingRequest.safeParse({ kind: 'instant', epochs: 3 }).success).toBe(false);
    expect(trainingRequest.safeParse({ kind: 'instant', trainFrom: '2024-01-01T00:30:00Z' }).success).toBe(false);
  });

  it('when two requests differ only in key order, then they share a workflow id; other params do not', () => {
    const a = trainingRequest.parse({ kind: 'forecast', params: { nEstimators: 20, seed: 1 } });
    const b = trainingRequest.parse({ kind: 'forecast', params: { seed: 1, nEstimators: 20 } });
    const c = trainingRequest.parse({ kind: 'forecast', params: { seed: 2, nEstimators: 20 } });
    expect(trainingWorkflowId(a)).toBe(trainingWorkflowId(b));
    expect(trainingWorkflowId(a)).not.toBe(trainingWorkflowId(c));
    expect(trainingWorkflowId(a)).toMatch(/^train-aqi-eaqi-forecast-24h-2025-01-01-[0-9a-f]{8}$/);
  });
});

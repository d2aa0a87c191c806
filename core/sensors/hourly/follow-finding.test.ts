import { anomalyId } from '../anomaly';

import type { HourlyFinding } from './finding';
import { followHourlyFinding } from './follow-finding';

const finding = (start: string, end: string, score: number): HourlyFinding => ({
  sensorId: 'CAP_001',
  type: 'neighbour_disagreement',
  measurement: 'pm2_5',
  start,
  end,
  score,
  evidence: { value: score },
});

describe('followHourlyFinding', () => {
  it('when a finding repeats hour after hour and then stops, then one anomaly opens, grows and closes', () => {
    const first = followHourlyFinding(
      undefined,
      finding('2024-03-01T10:00:00Z', '2024-03-01T10:00:00Z', 1.5),
      '2024-03-01T11:00:00Z',
      2,
    );
    const second = followHourlyFinding(
      first.open,
      finding('2024-03-01T11:00:00Z', '2024-03-01T11:00:00Z', 2.5),
      '2024-03-01T12:00:00Z',
      2,
    );
    const third = followHourlyFinding(second.open, undefined, '2024-03-01T13:00:00Z', 2);

    expect(first.opened).toMatchObject({
      id: anomalyId({
        sensorId: 'CAP_001',
        type: 'neighbour_disagreement',
        measurement: 'pm2_5',
        start: '2024-03-01T10:00:00Z',
      }),
      window: { start: '2024-03-01T10:00:00.000Z', end: '2024-03-01T10:00:00.000Z' },
      detected_at: '2024-03-01T11:00:00.000Z',
      severity: 'warning',
    });
    expect(second.opened).toBeUndefined();
    expect(second.open).toMatchObject({
      id: first.opened?.id,
      window: { start: '2024-03-01T10:00:00.000Z', end: '2024-03-01T11:00:00.000Z' },
      score: 2.5,
      severity: 'critical',
      detected_at: '2024-03-01T11:00:00.000Z',
    });
    expect(third).toEqual({ closed: { anomaly: second.open, closedAt: '2024-03-01T13:00:00.000Z' } });
  });

  it('when there is neither an open anomaly nor a finding, then nothing happens', () => {
    expect(followHourlyFinding(undefined, undefined, '2024-03-01T13:00:00Z', 2)).toEqual({});
  });
});

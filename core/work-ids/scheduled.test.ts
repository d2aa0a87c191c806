import { planScheduledWork } from './scheduled';

const at = (iso: string) => Date.parse(iso);

describe('planScheduledWork', () => {
  it('when the hourly schedule fires at 05:05 and the source is current, then it ingests 04:00 as Airflow does', () => {
    const plan = planScheduledWork('ingestHourly', {
      scheduledAt: at('2024-03-01T05:05:00Z'),
      locationIds: ['paris', 'lyon'],
      sourceLatestHour: '2024-03-01T05:00:00Z',
    });
    expect(plan).toEqual({
      workflow: 'ingestHourly',
      workflowId: 'ingest-hourly-lyon+paris-2024-03-01T04',
      input: { locationIds: ['lyon', 'paris'], hour: '2024-03-01T04:00:00Z' },
    });
  });

  it("when the source's clock is behind (the replay server), then the run takes the source's newest hour", () => {
    const plan = planScheduledWork('ingestHourly', {
      scheduledAt: at('2026-05-01T05:05:00Z'),
      locationIds: ['lyon'],
      sourceLatestHour: '2024-12-31T23:00:00Z',
    });
    expect(plan.input).toEqual({ locationIds: ['lyon'], hour: '2024-12-31T23:00:00Z' });
  });

  it('when the daily quality schedule fires at 00:30, then it checks the UTC day before', () => {
    const plan = planScheduledWork('checkDataQuality', {
      scheduledAt: at('2024-03-06T00:30:00Z'),
      locationIds: ['lyon'],
      sourceLatestHour: '2024-03-06T00:00:00Z',
    });
    expect(plan.workflowId).toBe('quality-lyon-2024-03-05T00-2024-03-06T00');
  });

  it('when the monitor fires at 02:00, then its window is the 7 days before midnight', () => {
    const plan = planScheduledWork('monitorChampions', {
      scheduledAt: at('2024-03-02T02:00:00Z'),
      locationIds: ['lyon'],
      sourceLatestHour: '2024-03-02T02:00:00Z',
    });
    expect(plan).toMatchObject({
      workflowId: 'monitor-champions-7d-2024-03-02T00',
      input: { windowDays: 7, to: '2024-03-02T00:00:00Z' },
    });
  });

  it('when the rollup fires at 01:15, then it rolls up yesterday by the wall clock', () => {
    const plan = planScheduledWork('sensorDailyRollup', { scheduledAt: at('2024-03-21T01:15:00Z'), locationIds: [] });
    expect(plan).toEqual({
      workflow: 'sensorDailyRollup',
      workflowId: 'sensor-daily-rollup-2024-03-20',
      input: { day: '2024-03-20' },
    });
  });
});

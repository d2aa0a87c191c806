import { loadConfig } from '../../config';

import { triggersOf } from './run-triggers';

const config = loadConfig({ AIRFLOW_PORT: '8080', BIND_HOST: '127.0.0.1' });

describe('triggersOf: the triggers a run memo lists, for people', () => {
  it('when the memo lists an Airflow, a schedule and a CLI trigger, then each is kept in order and the Airflow one links its DAG run', () => {
    const memo = {
      triggers: [
        {
          source: 'airflow',
          detail: 'aqi_hourly/scheduled__2024-03-06T05:00:00+00:00',
          at: '2024-03-06T06:00:01.000Z',
        },
        { source: 'schedule', detail: 'aqi-hourly-ingest at 2024-03-06T06:05:00Z', at: '2024-03-06T06:05:00.000Z' },
        { source: 'cli', detail: 'airq ingest-hour by ana', at: '2024-03-06T06:07:00.000Z' },
      ],
    };

    expect(triggersOf(memo, config)).toEqual([
      {
        ...memo.triggers[0],
        url: 'http://127.0.0.1:8080/dags/aqi_hourly/runs/scheduled__2024-03-06T05%3A00%3A00%2B00%3A00',
      },
      memo.triggers[1],
      memo.triggers[2],
    ]);
  });

  it('when the memo has no triggers, or entries that are not triggers, then those are left out', () => {
    expect(triggersOf(undefined, config)).toEqual([]);
    expect(triggersOf({ triggers: 'airflow' }, config)).toEqual([]);
    expect(
      triggersOf(
        { triggers: [{ source: 'cron', detail: 'x', at: '2024-03-06T06:00:00Z' }, { source: 'api' }] },
        config,
      ),
    ).toEqual([]);
  });

  it('when an Airflow detail names no run, then the trigger is listed without a link', () => {
    const trigger = { source: 'airflow', detail: 'aqi_hourly', at: '2024-03-06T06:00:00.000Z' };

    expect(triggersOf({ triggers: [trigger] }, config)).toEqual([trigger]);
  });
});
